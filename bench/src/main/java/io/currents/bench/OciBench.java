package io.currents.bench;

import io.currents.oci.Descriptor;
import io.currents.oci.FluxArtifacts;
import io.currents.oci.OciClient;
import io.currents.oci.OciManifest;
import io.currents.oci.OciReference;
import io.currents.runtime.artifact.ArtifactStorage;
import io.currents.runtime.artifact.StoredArtifact;
import io.currents.source.oci.OciLayer;
import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.registry.OciRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Measures, against one registry on loopback (Debian's docker-registry) holding a Flux artifact of about 50 MB, in the
 * same process and run: the OCIRepository pull path (HEAD, manifest, layer with digest check, safe extract, re-archive,
 * atomic store) against the same pull done as {@code oras pull} does it, reproduced with {@code curl} of the manifest
 * and the blob, {@code sha256sum}, {@code tar xzf} and {@code tar czf}; and the cost of a no-change reconcile (one
 * manifest HEAD and the stored artifact check). Prints medians and ratios.
 */
public final class OciBench {

    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int megabytes = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        Path scratch = Files.createTempDirectory("oci-bench");
        try (OciRegistry registry = OciRegistry.start()) {
            Map<String, byte[]> files = new TreeMap<>();
            SecureRandom random = new SecureRandom();
            for (int i = 0; i < megabytes; i++) {
                byte[] content = new byte[1_000_000];
                random.nextBytes(content);
                files.put("data/file-" + i + ".bin", content);
            }
            Path tarGz = Files.write(scratch.resolve("artifact.tar.gz"), Tarball.ofBytes(files));
            OciClient client = OciClient.builder().plainHttp(true).timeout(Duration.ofMinutes(5)).build();
            OciReference ref = OciReference.parse("oci://" + registry.host() + "/bench/app").withTag("v1");
            String digest = FluxArtifacts.push(client, ref, tarGz, "https://example.com/bench", "main@sha1:0", Map.of(), Instant.now());
            Descriptor layer = client.manifest(ref).layers().get(0);
            ArtifactStorage storage = new ArtifactStorage(scratch.resolve("storage"), "localhost:9090", Duration.ofSeconds(60), 2,
                    Clock.systemUTC());

            ours(client, ref, storage, scratch, -1);
            reference(registry.host(), layer.digest(), scratch, -1);
            List<Long> oursMs = new ArrayList<>();
            List<Long> refMs = new ArrayList<>();
            StoredArtifact last = null;
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                last = ours(client, ref, storage, scratch, i);
                oursMs.add((System.nanoTime() - t0) / 1_000_000);
                long t1 = System.nanoTime();
                reference(registry.host(), layer.digest(), scratch, i);
                refMs.add((System.nanoTime() - t1) / 1_000_000);
            }
            List<Long> noChangeMs = new ArrayList<>();
            for (int i = 0; i < rounds * 4; i++) {
                long t0 = System.nanoTime();
                String resolved = client.resolve(ref).digest();
                if (!resolved.equals(digest) || !storage.verify(last.path(), last.digest())) {
                    throw new IllegalStateException("no-change reconcile saw a change");
                }
                noChangeMs.add((System.nanoTime() - t0) / 1_000_000);
            }
            long ours = median(oursMs);
            long ref0 = median(refMs);
            System.out.printf("artifact: %s@%s, layer %d bytes%n", ref.url(), digest, layer.size());
            System.out.printf("pull + artifact, Currents (OciClient + OciLayer + store):               median %d ms of %d rounds %s%n", ours, rounds, oursMs);
            System.out.printf("pull + artifact, reference (curl manifest+blob, sha256sum, tar x/c): median %d ms of %d rounds %s%n", ref0, rounds, refMs);
            System.out.printf("ratio Currents / reference: %.2f%n", (double) ours / ref0);
            System.out.printf("no-change reconcile (manifest HEAD + artifact check): median %d ms %s%n", median(noChangeMs), noChangeMs);
            System.out.printf("ratio no-change / full pull + artifact: %.3f%n", (double) median(noChangeMs) / ours);
        } finally {
            deleteTree(scratch);
        }
    }

    private static StoredArtifact ours(OciClient client, OciReference ref, ArtifactStorage storage, Path scratch, int round)
            throws Exception {
        Path work = Files.createDirectories(scratch.resolve("ours-" + round));
        try {
            String digest = client.resolve(ref).digest();
            OciManifest manifest = client.manifest(new OciReference(ref.registry(), ref.repository(), null, digest));
            OciLayer layer = OciLayer.pull(client, ref, OciLayer.select(manifest, null), work, 1L << 31, null, null);
            return storage.store("OCIRepository", "bench", "bench", digest.substring(7) + ".tar.gz", "v1@" + digest, layer::writeTo);
        } finally {
            deleteTree(work);
        }
    }

    private static void reference(String host, String layerDigest, Path scratch, int round) throws IOException, InterruptedException {
        Path dir = Files.createDirectories(scratch.resolve("ref-" + round));
        Path unpacked = Files.createDirectories(dir.resolve("content"));
        String base = "http://" + host + "/v2/bench/app";
        run(dir, "curl", "-sSf", "-H", "Accept: application/vnd.oci.image.manifest.v1+json", "-o", "manifest.json", base + "/manifests/v1");
        run(dir, "curl", "-sSf", "-o", "layer.tar.gz", base + "/blobs/" + layerDigest);
        run(dir, "sha256sum", "layer.tar.gz");
        run(dir, "tar", "xzf", "layer.tar.gz", "-C", unpacked.toString());
        run(dir, "tar", "czf", "artifact.tar.gz", "-C", unpacked.toString(), ".");
        deleteTree(dir);
    }

    private static void run(Path cwd, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + output);
        }
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
