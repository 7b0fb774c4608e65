package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.GitRepositoryRef;
import io.currents.api.source.v1.GitRepositorySpec;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.source.git.GitAuth;
import io.currents.source.git.GitCheckoutRequest;
import io.currents.source.git.GitFetchException;
import io.currents.source.git.GitProxy;
import io.currents.source.git.GitReference;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a GitRepository's spec and the Secrets it names into a checkout request, reading Flux's
 * Secret keys: {@code username}/{@code password}, {@code bearerToken}, {@code identity} (+
 * {@code password} as passphrase) and {@code known_hosts}; the proxy Secret's {@code address},
 * {@code username}, {@code password}; every value of the verification Secret as a PGP public key.
 */
@ApplicationScoped
public class GitCredentials {

    @Inject
    KubernetesClient client;

    GitCheckoutRequest checkoutRequest(GitRepository repo, long maxSizeBytes) throws GitFetchException {
        GitRepositorySpec spec = repo.getSpec();
        String ns = repo.getMetadata().getNamespace();
        String url = validateUrl(spec.getUrl());

        GitAuth auth = GitAuth.none();
        if (spec.getSecretRef() != null && spec.getSecretRef().getName() != null) {
            Map<String, String> data = secretData(ns, spec.getSecretRef().getName(), SourceKinds.AUTHENTICATION_FAILED);
            auth = new GitAuth(data.get("username"), data.get("password"), data.get("bearerToken"),
                    data.containsKey("identity") ? data.get("identity").getBytes(StandardCharsets.UTF_8) : null,
                    data.containsKey("identity") ? data.get("password") : null,
                    data.get("known_hosts"));
            if (url.startsWith("ssh://") && auth.privateKey() == null) {
                throw new GitFetchException(SourceKinds.AUTHENTICATION_FAILED, "secret '" + ns + "/" + spec.getSecretRef().getName()
                        + "' has no 'identity' key for SSH authentication");
            }
        }

        GitProxy proxy = null;
        if (spec.getProxySecretRef() != null && spec.getProxySecretRef().getName() != null) {
            Map<String, String> data = secretData(ns, spec.getProxySecretRef().getName(), SourceKinds.GIT_OPERATION_FAILED);
            if (data.get("address") == null || data.get("address").isBlank()) {
                throw new GitFetchException(SourceKinds.GIT_OPERATION_FAILED, "invalid proxy secret '" + ns + "/"
                        + spec.getProxySecretRef().getName() + "': key 'address' is missing");
            }
            proxy = new GitProxy(data.get("address"), data.get("username"), data.get("password"));
        }

        String verificationMode = null;
        List<String> publicKeys = List.of();
        if (spec.getVerify() != null) {
            verificationMode = spec.getVerify().getMode() == null ? "HEAD" : spec.getVerify().getMode();
            if (spec.getVerify().getSecretRef() == null || spec.getVerify().getSecretRef().getName() == null) {
                throw new GitFetchException(SourceKinds.VERIFICATION_ERROR, "verification is enabled but no secretRef with PGP public keys is set");
            }
            Map<String, String> keys = secretData(ns, spec.getVerify().getSecretRef().getName(), SourceKinds.VERIFICATION_ERROR);
            publicKeys = new ArrayList<>(new TreeMap<>(keys).values());
        }

        GitRepositoryRef ref = spec.getRef();
        GitReference reference = ref == null ? GitReference.branch("master")
                : new GitReference(ref.getBranch(), ref.getTag(), ref.getSemver(), ref.getName(), ref.getCommit());
        Duration timeout = FluxDuration.parseOr(spec.getTimeout(), Duration.ofSeconds(60));
        return new GitCheckoutRequest(url, reference, auth, proxy, timeout,
                Boolean.TRUE.equals(spec.getRecurseSubmodules()),
                spec.getSparseCheckout() == null ? List.of() : spec.getSparseCheckout(),
                maxSizeBytes, verificationMode, publicKeys);
    }

    private static String validateUrl(String url) throws GitFetchException {
        if (url == null || url.isBlank()) {
            throw new GitFetchException(SourceKinds.URL_INVALID, "spec.url is empty");
        }
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme();
            if (scheme == null || !(scheme.equals("http") || scheme.equals("https") || scheme.equals("ssh"))) {
                throw new GitFetchException(SourceKinds.URL_INVALID, "URL scheme of '" + redact(url)
                        + "' is not supported: use http, https or ssh");
            }
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new GitFetchException(SourceKinds.URL_INVALID, "URL '" + redact(url) + "' has no host");
            }
        } catch (URISyntaxException e) {
            throw new GitFetchException(SourceKinds.URL_INVALID, "malformed URL '" + redact(url) + "': " + e.getReason());
        }
        return url;
    }

    /** The URL without any user-info, safe for status and events. */
    static String redact(String url) {
        return url == null ? "" : url.replaceAll("(?<=://)[^/@]*@", "");
    }

    private Map<String, String> secretData(String ns, String name, String reason) throws GitFetchException {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(ns).withName(name).get();
        } catch (KubernetesClientException e) {
            throw new GitFetchException(reason, "failed to get secret '" + ns + "/" + name + "': " + e.getStatus().getMessage());
        }
        if (secret == null) {
            throw new GitFetchException(reason, "failed to get secret '" + ns + "/" + name + "': secret not found");
        }
        Map<String, String> data = new TreeMap<>();
        if (secret.getData() != null) {
            secret.getData().forEach((k, v) -> data.put(k, new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8)));
        }
        if (secret.getStringData() != null) {
            data.putAll(secret.getStringData());
        }
        return data;
    }
}
