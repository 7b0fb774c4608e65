package io.currents.source;

import io.currents.api.meta.Artifact;
import io.currents.api.source.v1.GitRepository;
import io.currents.testkit.ControlPlane;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientTimeoutException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** What the GitRepository behaviour tests do to the cluster and check on it, in a namespace of their own. */
final class GitRepositoryScenario {

    final KubernetesClient client = ControlPlane.shared().client();
    final String namespace;

    GitRepositoryScenario(String prefix) {
        this.namespace = ControlPlane.shared().createNamespace(prefix);
    }

    GitRepository apply(String yaml) {
        GitRepository repo = client.getKubernetesSerialization().unmarshal(yaml, GitRepository.class);
        repo.getMetadata().setNamespace(namespace);
        return client.resource(repo).create();
    }

    GitRepository get(String name) {
        return client.resources(GitRepository.class).inNamespace(namespace).withName(name).get();
    }

    GitRepository await(String name, Predicate<GitRepository> condition) {
        try {
            return client.resources(GitRepository.class).inNamespace(namespace).withName(name)
                    .waitUntilCondition(r -> r != null && condition.test(r), 90, TimeUnit.SECONDS);
        } catch (KubernetesClientTimeoutException e) {
            GitRepository last = get(name);
            throw new AssertionError("GitRepository " + namespace + "/" + name + " did not reach the expected state; last seen:\n"
                    + (last == null ? "(gone)" : client.getKubernetesSerialization().asYaml(last)), e);
        }
    }

    GitRepository awaitReady(String name) {
        return await(name, r -> readyStatus(r).equals("True") && observedCurrentGeneration(r));
    }

    GitRepository awaitNotReady(String name, String reason) {
        return await(name, r -> readyStatus(r).equals("False") && reason.equals(condition(r, "Ready").map(Condition::getReason).orElse("")));
    }

    /** Annotates the object with a reconcile request and waits until the controller has handled it. */
    GitRepository reconcileNow(String name) {
        String token = Instant.now().toString() + System.nanoTime();
        client.resources(GitRepository.class).inNamespace(namespace).withName(name)
                .edit(r -> {
                    r.getMetadata().getAnnotations().put("reconcile.fluxcd.io/requestedAt", token);
                    return r;
                });
        return await(name, r -> r.getStatus() != null && token.equals(r.getStatus().getLastHandledReconcileAt()));
    }

    void secret(String name, Map<String, String> stringData) {
        client.secrets().inNamespace(namespace).resource(new SecretBuilder().withNewMetadata().withName(name).endMetadata()
                .withStringData(stringData).build()).createOr(r -> r.update());
    }

    List<Event> events(String name) {
        return client.v1().events().inNamespace(namespace).list().getItems().stream()
                .filter(e -> name.equals(e.getInvolvedObject().getName())).toList();
    }

    static String readyStatus(GitRepository r) {
        return condition(r, "Ready").map(Condition::getStatus).orElse("");
    }

    static Optional<Condition> condition(GitRepository r, String type) {
        return r.getStatus() == null || r.getStatus().getConditions() == null ? Optional.empty()
                : r.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst();
    }

    static boolean observedCurrentGeneration(GitRepository r) {
        return r.getStatus() != null && r.getMetadata().getGeneration().equals(r.getStatus().getObservedGeneration());
    }

    static byte[] download(String url) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }

    static int status(String url) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    /** File paths and contents of a tar.gz artifact. */
    static Map<String, String> files(byte[] tarGz) throws IOException {
        Map<String, String> files = new java.util.TreeMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(new GzipCompressorInputStream(new ByteArrayInputStream(tarGz)))) {
            TarArchiveEntry e;
            while ((e = tar.getNextEntry()) != null) {
                if (e.isFile()) {
                    files.put(e.getName(), new String(tar.readAllBytes()));
                }
            }
        }
        return files;
    }

    /** Downloads the artifact from its URL and checks it against the digest in status. */
    static Map<String, String> downloadVerified(Artifact artifact) throws Exception {
        byte[] bytes = download(artifact.getUrl());
        if (!sha256(bytes).equals(artifact.getDigest())) {
            throw new AssertionError("artifact digest mismatch: status " + artifact.getDigest() + ", download " + sha256(bytes));
        }
        if (bytes.length != artifact.getSize()) {
            throw new AssertionError("artifact size mismatch");
        }
        return files(bytes);
    }

    static List<String> names(List<?> list) {
        return new ArrayList<>(list.stream().map(Object::toString).toList());
    }
}
