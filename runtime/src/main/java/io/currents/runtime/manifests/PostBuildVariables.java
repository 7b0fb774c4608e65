package io.currents.runtime.manifests;

import io.currents.api.kustomize.v1.PostBuild;
import io.currents.api.kustomize.v1.SubstituteReference;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The variables of {@code spec.postBuild}: {@code substituteFrom} ConfigMaps and Secrets in order (later ones
 * win), then the inline {@code substitute} map, which wins over all. Remembers which values came from Secrets
 * so they can be redacted from messages.
 */
public final class PostBuildVariables {

    private final Map<String, String> values;
    private final Set<String> secretValues;

    private PostBuildVariables(Map<String, String> values, Set<String> secretValues) {
        this.values = values;
        this.secretValues = secretValues;
    }

    /** Reads the referenced objects from the Kustomization's namespace. */
    public static PostBuildVariables load(KubernetesClient client, String namespace, PostBuild postBuild) throws ReconcileFailure {
        Map<String, String> values = new LinkedHashMap<>();
        Set<String> secretValues = new TreeSet<>();
        if (postBuild.getSubstituteFrom() != null) {
            for (SubstituteReference ref : postBuild.getSubstituteFrom()) {
                boolean optional = Boolean.TRUE.equals(ref.getOptional());
                String subject = ref.getKind() + "/" + namespace + "/" + ref.getName();
                try {
                    if ("Secret".equals(ref.getKind())) {
                        Secret secret = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
                        if (secret == null) {
                            if (optional) {
                                continue;
                            }
                            throw new ReconcileFailure(Reasons.BUILD_FAILED, "substitute from '" + subject + "' failed: secrets \""
                                    + ref.getName() + "\" not found");
                        }
                        if (secret.getData() != null) {
                            secret.getData().forEach((k, v) -> {
                                String plain = new String(Base64.getDecoder().decode(v), StandardCharsets.UTF_8);
                                values.put(k, plain);
                                secretValues.add(plain);
                            });
                        }
                        if (secret.getStringData() != null) {
                            secret.getStringData().forEach((k, v) -> {
                                values.put(k, v);
                                secretValues.add(v);
                            });
                        }
                    } else {
                        ConfigMap map = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
                        if (map == null) {
                            if (optional) {
                                continue;
                            }
                            throw new ReconcileFailure(Reasons.BUILD_FAILED, "substitute from '" + subject + "' failed: configmaps \""
                                    + ref.getName() + "\" not found");
                        }
                        if (map.getData() != null) {
                            values.putAll(map.getData());
                        }
                    }
                } catch (KubernetesClientException e) {
                    throw new ReconcileFailure(Reasons.BUILD_FAILED, "substitute from '" + subject + "' failed: "
                            + (e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage()));
                }
            }
        }
        if (postBuild.getSubstitute() != null) {
            values.putAll(postBuild.getSubstitute());
        }
        return new PostBuildVariables(values, secretValues);
    }

    public Map<String, String> values() {
        return values;
    }

    /** Values that came from Secrets (never to be shown). */
    public Set<String> secretValues() {
        return secretValues;
    }
}
