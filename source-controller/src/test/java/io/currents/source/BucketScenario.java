package io.currents.source;

import io.currents.api.source.v1.Bucket;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/** What the Bucket behaviour tests do: a namespace with the S3 credentials Secret, Buckets pointing at a server, checks. */
final class BucketScenario {

    final SourceScenario cluster;

    BucketScenario(String prefix) {
        this.cluster = new SourceScenario(prefix);
        cluster.secret("s3-keys", Map.of("accesskey", S3Server.ACCESS_KEY, "secretkey", S3Server.SECRET_KEY));
    }

    Bucket apply(String name, S3Server server, String bucketName, String extraSpec) {
        return cluster.apply(Bucket.class, """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: Bucket
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  provider: generic
                  bucketName: %s
                  endpoint: %s
                  insecure: %s
                  secretRef:
                    name: s3-keys
                %s""".formatted(name, bucketName, server.endpoint(), !server.tls(),
                ((extraSpec == null || !extraSpec.contains("timeout:") ? "timeout: 20s\n" : "") + (extraSpec == null ? "" : extraSpec)).indent(2)));
    }

    Bucket awaitReady(String name) {
        return cluster.awaitReady(Bucket.class, name);
    }

    /** Ready with the current generation, waiting up to {@code timeout} (a large bucket on a busy machine takes minutes). */
    Bucket awaitReady(String name, java.time.Duration timeout) {
        return cluster.client.resources(Bucket.class).inNamespace(cluster.namespace).withName(name)
                .waitUntilCondition(b -> b != null && "True".equals(SourceScenario.status(b, "Ready"))
                        && SourceScenario.observedCurrentGeneration(b), timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    Bucket awaitNotReady(String name, String reason) {
        return cluster.awaitNotReady(Bucket.class, name, reason);
    }

    Bucket reconcileNow(String name) {
        return cluster.reconcileNow(Bucket.class, name);
    }

    String readyMessage(Bucket bucket) {
        return SourceScenario.condition(bucket, "Ready").orElseThrow().getMessage();
    }

    /** The files of the Bucket's artifact, downloaded from its URL and checked against its digest. */
    static Map<String, String> files(Bucket bucket) throws Exception {
        return GitRepositoryScenario.files(SourceScenario.downloadVerified(bucket.getStatus().getArtifact()));
    }

    /** Flux's revision of a bucket, computed here independently: sha256 over "key etag\n" in key order. */
    static String fluxRevision(Map<String, String> etagsByKey) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        for (var e : new TreeMap<>(etagsByKey).entrySet()) {
            sha256.update((e.getKey() + " " + e.getValue() + "\n").getBytes(StandardCharsets.UTF_8));
        }
        return "sha256:" + HexFormat.of().formatHex(sha256.digest());
    }

    /** The ETag s3proxy's stores give an object put in one part: the MD5 of its content. */
    static String md5(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(content.getBytes(StandardCharsets.UTF_8)));
    }
}
