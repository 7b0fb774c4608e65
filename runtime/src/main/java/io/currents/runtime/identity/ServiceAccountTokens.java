package io.currents.runtime.identity;

import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.util.List;

/** Short-lived tokens of a tenant's Kubernetes ServiceAccount (the TokenRequest API), for the audience of who receives them. */
public final class ServiceAccountTokens {

    /** One hour: a token is used within one reconcile, to log in or to exchange it once. */
    public static final long TOKEN_SECONDS = 3600;

    private ServiceAccountTokens() {
    }

    /** A token of {@code namespace/name} for these audiences (none: the API server's own); the message never holds a token. */
    public static String issue(KubernetesClient client, String namespace, String name, List<String> audiences) throws IOException {
        TokenRequest request = new TokenRequestBuilder().withNewSpec().withAudiences(audiences).withExpirationSeconds(TOKEN_SECONDS)
                .endSpec().build();
        String account = namespace + "/" + name;
        try {
            TokenRequest issued = client.serviceAccounts().inNamespace(namespace).withName(name).tokenRequest(request);
            if (issued == null || issued.getStatus() == null || issued.getStatus().getToken() == null) {
                throw new IOException("no token was issued for service account '" + account + "'");
            }
            return issued.getStatus().getToken();
        } catch (KubernetesClientException e) {
            String why = e.getCode() == 404 ? "not found" : e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : "HTTP " + e.getCode();
            throw new IOException("failed to get a token for service account '" + account + "': " + why);
        }
    }
}
