package io.currents.e2e;

import io.currents.testkit.artifact.ArtifactServer;
import io.currents.testkit.artifact.Tarball;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A Helm chart repository on loopback serving the chart {@code demo}, whose only template is the ConfigMap
 * {@code chart-config} holding a {@code value}; each published version is added to the index, which lists them all.
 */
final class ChartRepository implements AutoCloseable {

    private final ArtifactServer server = ArtifactServer.start();
    private final List<String> index = new ArrayList<>();

    int port() {
        return URI.create(server.url()).getPort();
    }

    /** Publishes version {@code version} of {@code demo}, its ConfigMap holding {@code value}; returns the value. */
    synchronized String publish(String version, String value) {
        byte[] chart = Tarball.of(Map.of(
                "demo/Chart.yaml", "apiVersion: v2\nname: demo\nversion: " + version + "\n",
                "demo/templates/config.yaml", """
                        apiVersion: v1
                        kind: ConfigMap
                        metadata:
                          name: chart-config
                        data:
                          value: %s
                        """.formatted(value)));
        String file = "demo-" + version + ".tgz";
        server.publishBytes(file, version, chart);
        index.add("""
                  - apiVersion: v2
                    name: demo
                    version: %s
                    urls:
                      - %s
                    digest: %s
                    created: "%s"
                """.formatted(version, file, sha256(chart), Instant.now()));
        server.publishBytes("index.yaml", version, ("apiVersion: v1\nentries:\n  demo:\n" + String.join("", index.reversed())
                + "generated: \"" + Instant.now() + "\"\n").getBytes(StandardCharsets.UTF_8));
        return value;
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
