package io.currents.runtime.manifests;

import io.currents.api.kustomize.v1.KustomizationSpec;
import io.currents.api.meta.CommonMetadata;
import io.currents.kustomize.BuildWarning;
import io.currents.kustomize.KustomizeException;
import io.currents.kustomize.Kustomizer;
import io.currents.kustomize.RemoteResources;
import io.currents.kustomize.ResourceList;
import io.currents.runtime.apply.Unstructured;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.currents.runtime.substitute.SubstitutionException;
import io.currents.runtime.substitute.VariableSubstitution;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns an unpacked artifact into the objects to apply, in kustomize-controller's order: overlay the spec onto
 * the kustomization file, decrypt generator inputs, {@code kustomize build}, then per object decrypt SOPS
 * documents and substitute post-build variables, and finally set {@code commonMetadata}.
 */
public final class ManifestBuilder {

    private final long maxFileBytes;
    private final RemoteResources remoteResources;

    /**
     * @param remoteResources whether remote bases are fetched (Flux fetches them unless {@code --no-remote-bases})
     */
    public ManifestBuilder(long maxFileBytes, RemoteResources remoteResources) {
        this.maxFileBytes = maxFileBytes;
        this.remoteResources = remoteResources;
    }

    /**
     * As Flux builds: a directory without a kustomization file gets one, and any file inside the artifact may
     * be loaded (kustomize's LoadRestrictionsNone, confined to the artifact's root with symlinks resolved).
     */
    private Kustomizer kustomizer(Path root) {
        return Kustomizer.builder()
                .generateMissingKustomization(true)
                .maxFileBytes(maxFileBytes)
                .remoteResources(remoteResources)
                .loadRestrictions(Kustomizer.LoadRestrictions.NONE)
                .secureRoot(root)
                .build();
    }

    /**
     * @param decryption null when {@code spec.decryption} is not set
     * @param variables  null when {@code spec.postBuild} is not set
     * @param strict     Flux's StrictPostBuildSubstitutions feature gate
     */
    public List<GenericKubernetesResource> build(Path root, Path dir, KustomizationSpec spec, SopsDecryption decryption,
                                          PostBuildVariables variables, boolean strict) throws ReconcileFailure {
        return build(root, dir, spec, decryption, variables, strict, notices -> { });
    }

    /**
     * As {@link #build(Path, Path, KustomizationSpec, SopsDecryption, PostBuildVariables, boolean)}, handing the
     * notices kustomize prints to stderr (deprecated fields, vars never replaced) to {@code notices}, once per
     * build and also when the build then fails; not called when there are none.
     */
    public List<GenericKubernetesResource> build(Path root, Path dir, KustomizationSpec spec, SopsDecryption decryption,
                                          PostBuildVariables variables, boolean strict,
                                          Consumer<List<String>> notices) throws ReconcileFailure {
        try {
            KustomizationOverlay.write(root, dir, spec);
        } catch (IOException | RuntimeException e) {
            throw new ReconcileFailure(Reasons.BUILD_FAILED, "failed to generate kustomization.yaml: " + describe(e, root));
        }
        if (decryption != null) {
            decryption.decryptSources(root, dir);
        }
        List<Map<String, Object>> built;
        try {
            ResourceList list = kustomizer(root).build(dir);
            report(list.warnings(), root, notices);
            built = list.objects();
        } catch (KustomizeException e) {
            report(e.warnings(), root, notices);
            throw new ReconcileFailure(Reasons.BUILD_FAILED, "kustomize build failed: " + describe(e, root));
        }
        VariableSubstitution substitution;
        try {
            substitution = variables == null ? null : new VariableSubstitution(variables.values(), strict,
                    spec.getPostBuild() != null && "Always".equals(spec.getPostBuild().getSubstituteStrategy()));
        } catch (SubstitutionException e) {
            throw new ReconcileFailure(Reasons.BUILD_FAILED, "post build failed: " + e.getMessage());
        }
        List<GenericKubernetesResource> objects = new ArrayList<>(built.size());
        for (Map<String, Object> object : built) {
            String subject = subject(object);
            if (!(object.get("metadata") instanceof Map<?, ?> meta) || meta.get("name") == null
                    || object.get("kind") == null || object.get("apiVersion") == null) {
                throw new ReconcileFailure(Reasons.BUILD_FAILED,
                        "failed to decode Kubernetes apiVersion, kind and name from: " + subject);
            }
            Map<String, Object> current = object;
            if (decryption != null) {
                current = decryption.decryptObject(current, subject);
            }
            if (substitution != null) {
                try {
                    current = substitution.apply(current);
                } catch (SubstitutionException e) {
                    throw new ReconcileFailure(Reasons.BUILD_FAILED, "post build failed for '" + subject + "': " + e.getMessage());
                }
            }
            ObjectDefaults.apply(current);
            objects.add(Unstructured.fromMap(current));
        }
        setCommonMetadata(objects, spec.getCommonMetadata());
        return objects;
    }

    /** Labels and annotations on each object's own metadata only (not selectors or templates), as Flux does. */
    private static void setCommonMetadata(List<GenericKubernetesResource> objects, CommonMetadata common) {
        if (common == null) {
            return;
        }
        for (GenericKubernetesResource object : objects) {
            if (common.getLabels() != null && !common.getLabels().isEmpty()) {
                Map<String, String> labels = object.getMetadata().getLabels() == null ? new LinkedHashMap<>()
                        : new LinkedHashMap<>(object.getMetadata().getLabels());
                labels.putAll(common.getLabels());
                object.getMetadata().setLabels(labels);
            }
            if (common.getAnnotations() != null && !common.getAnnotations().isEmpty()) {
                Map<String, String> annotations = object.getMetadata().getAnnotations() == null ? new LinkedHashMap<>()
                        : new LinkedHashMap<>(object.getMetadata().getAnnotations());
                annotations.putAll(common.getAnnotations());
                object.getMetadata().setAnnotations(annotations);
            }
        }
    }

    public static String subject(Map<String, Object> object) {
        String kind = String.valueOf(object.get("kind"));
        String name = "";
        String namespace = "";
        if (object.get("metadata") instanceof Map<?, ?> meta) {
            name = String.valueOf(meta.get("name"));
            namespace = meta.get("namespace") == null ? "" : String.valueOf(meta.get("namespace"));
        }
        return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }

    private static void report(List<BuildWarning> warnings, Path root, Consumer<List<String>> notices) {
        if (!warnings.isEmpty()) {
            notices.accept(warnings.stream().map(w -> w.message().replace(root.toString() + "/", "")
                    .replace(root.toString(), ".")).toList());
        }
    }

    /** The message with the temporary directory replaced by the artifact-relative path. */
    private static String describe(Exception e, Path root) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replace(root.toString() + "/", "").replace(root.toString(), ".");
    }
}
