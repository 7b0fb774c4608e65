package io.currents.source;

import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.GitRepositoryRef;
import io.currents.api.source.v1.GitRepositorySpec;
import io.currents.git.GitCheckoutRequest;
import io.currents.git.GitException;
import io.currents.git.GitReference;
import io.currents.git.GitUrl;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.git.GitRepositoryAccess;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a GitRepository's spec and the Secrets it names into a checkout request: credentials and
 * proxy as {@link GitRepositoryAccess} reads them, and every value of the verification Secret as a
 * PGP public key.
 */
@ApplicationScoped
public class GitCredentials {

    @Inject
    KubernetesClient client;

    GitCheckoutRequest checkoutRequest(GitRepository repo, long maxSizeBytes) throws GitException {
        GitRepositorySpec spec = repo.getSpec();
        String ns = repo.getMetadata().getNamespace();
        String url = GitUrl.validate(spec.getUrl());
        GitRepositoryAccess access = new GitRepositoryAccess(client);

        String verificationMode = null;
        List<String> publicKeys = List.of();
        if (spec.getVerify() != null) {
            verificationMode = spec.getVerify().getMode() == null ? "HEAD" : spec.getVerify().getMode();
            if (spec.getVerify().getSecretRef() == null || spec.getVerify().getSecretRef().getName() == null) {
                throw new GitException(SourceKinds.VERIFICATION_ERROR, "verification is enabled but no secretRef with PGP public keys is set");
            }
            Map<String, String> keys = access.secretData(ns, spec.getVerify().getSecretRef().getName(), SourceKinds.VERIFICATION_ERROR);
            publicKeys = new ArrayList<>(new TreeMap<>(keys).values());
        }

        GitRepositoryRef ref = spec.getRef();
        GitReference reference = ref == null ? GitReference.branch(GitReference.DEFAULT_BRANCH)
                : new GitReference(ref.getBranch(), ref.getTag(), ref.getSemver(), ref.getName(), ref.getCommit());
        Duration timeout = FluxDuration.parseOr(spec.getTimeout(), GitCheckoutRequest.DEFAULT_TIMEOUT);
        return new GitCheckoutRequest(url, reference, access.auth(repo, url), access.proxy(repo), timeout,
                Boolean.TRUE.equals(spec.getRecurseSubmodules()),
                spec.getSparseCheckout() == null ? List.of() : spec.getSparseCheckout(),
                maxSizeBytes, 0, verificationMode, publicKeys);
    }

    /** The URL without any user-info, safe for status and events. */
    static String redact(String url) {
        return GitUrl.redact(url);
    }
}
