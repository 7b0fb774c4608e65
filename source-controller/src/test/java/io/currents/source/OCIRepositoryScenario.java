package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.source.v1.OCIRepository;
import io.currents.oci.Descriptor;
import io.currents.oci.FluxArtifacts;
import io.currents.oci.ManifestJson;
import io.currents.oci.OciClient;
import io.currents.oci.OciManifest;
import io.currents.oci.OciReference;
import io.currents.oci.RegistryCredentials;
import io.currents.runtime.artifact.ArtifactArchive;
import io.currents.testkit.artifact.Tarball;
import io.currents.testkit.registry.OciRegistry;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/** OCIRepository behaviour tests: artifacts pushed to a real registry as `currents push artifact` does, and the object's view. */
final class OCIRepositoryScenario {

    final SourceScenario cluster;
    final OciRegistry registry;
    final OciClient pusher;

    OCIRepositoryScenario(String prefix, OciRegistry registry, RegistryCredentials pushAs) {
        this.cluster = new SourceScenario(prefix);
        this.registry = registry;
        this.pusher = OciClient.builder().plainHttp(registry.caPem() == null).credentials(pushAs)
                .sslContext(registry.caPem() == null ? null : io.currents.testkit.registry.TestCertificates.trusting(registry.caPem()))
                .build();
    }

    OCIRepositoryScenario(String prefix, OciRegistry registry) {
        this(prefix, registry, null);
    }

    /** Pushes files as a Flux artifact under {@code repository:tag}; returns the manifest digest. */
    String push(String repository, String tag, Map<String, String> files) throws Exception {
        return pushTarGz(repository, tag, Tarball.of(files));
    }

    String pushTarGz(String repository, String tag, byte[] tarGz) throws Exception {
        Path file = Files.createTempFile("artifact", ".tar.gz");
        try {
            Files.write(file, tarGz);
            return FluxArtifacts.push(pusher, ref(repository).withTag(tag), file, "https://github.com/example/app",
                    "main@sha1:0123456789abcdef", Map.of(), Instant.now());
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Pushes a manifest with arbitrary layers (media type → content), for layer selection and bad-input tests. */
    String pushLayers(String repository, String tag, Map<String, byte[]> layers) throws Exception {
        OciReference ref = ref(repository).withTag(tag);
        Descriptor config = pusher.pushBlob(ref, FluxArtifacts.CONFIG_MEDIA_TYPE, "{}".getBytes(StandardCharsets.UTF_8));
        List<Descriptor> descriptors = new java.util.ArrayList<>();
        for (Map.Entry<String, byte[]> layer : layers.entrySet()) {
            descriptors.add(pusher.pushBlob(ref, layer.getKey(), layer.getValue()));
        }
        return pusher.pushManifest(ref, tag, OciManifest.OCI_MANIFEST, ManifestJson.image(config, descriptors, Map.of()));
    }

    OciReference ref(String repository) throws Exception {
        return OciReference.parse("oci://" + registry.host() + "/" + repository);
    }

    String url(String repository) {
        return "oci://" + registry.host() + "/" + repository;
    }

    OCIRepository apply(String name, String repository, String extraSpec) {
        return cluster.apply(OCIRepository.class, """
                apiVersion: source.toolkit.fluxcd.io/v1
                kind: OCIRepository
                metadata:
                  name: %s
                spec:
                  interval: 10m
                  timeout: 20s
                  url: %s
                %s""".formatted(name, url(repository), extraSpec == null ? "" : extraSpec.indent(2)));
    }

    OCIRepository awaitReady(String name) {
        return cluster.awaitReady(OCIRepository.class, name);
    }

    OCIRepository awaitNotReady(String name, String reason) {
        return cluster.awaitNotReady(OCIRepository.class, name, reason);
    }

    OCIRepository reconcileNow(String name) {
        return cluster.reconcileNow(OCIRepository.class, name);
    }

    String readyMessage(OCIRepository repo) {
        return SourceScenario.condition(repo, "Ready").orElseThrow().getMessage();
    }

    /** The files of a stored artifact, downloaded and checked against its digest. */
    static Map<String, String> files(Artifact artifact) throws Exception {
        byte[] bytes = SourceScenario.downloadVerified(artifact);
        Path dir = Files.createTempDirectory("artifact");
        ArtifactArchive.extract(new ByteArrayInputStream(bytes), dir, 1 << 24);
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readString(p));
            }
        }
        return files;
    }
}
