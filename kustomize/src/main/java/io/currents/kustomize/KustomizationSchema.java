package io.currents.kustomize;

import static io.currents.kustomize.GoStruct.ANY;
import static io.currents.kustomize.GoStruct.BOOL;
import static io.currents.kustomize.GoStruct.INT;
import static io.currents.kustomize.GoStruct.INT64;
import static io.currents.kustomize.GoStruct.STRING;
import static io.currents.kustomize.GoStruct.map;
import static io.currents.kustomize.GoStruct.ptr;
import static io.currents.kustomize.GoStruct.slice;

import io.currents.kustomize.GoStruct.Struct;

/**
 * The Go types a kustomization file and the built-in plugins' configurations decode into (kustomize's
 * {@code api/types}), as {@link GoStruct} schemas: field names, types and embedding decide what is
 * accepted and how a mistake is reported.
 */
final class KustomizationSchema {
    private KustomizationSchema() {
    }

    static final Struct GVK = new Struct("resid.Gvk")
            .field("group", STRING).field("version", STRING).field("kind", STRING);
    static final Struct RES_ID = new Struct("resid.ResId").inline(GVK)
            .field("name", STRING).field("namespace", STRING);
    static final Struct TYPE_META = new Struct("types.TypeMeta")
            .field("kind", STRING).field("apiVersion", STRING);
    static final Struct OBJECT_META = new Struct("types.ObjectMeta")
            .field("name", STRING).field("namespace", STRING)
            .field("labels", map(STRING)).field("annotations", map(STRING));
    static final Struct FIELD_SPEC = new Struct("types.FieldSpec").inline(GVK)
            .field("path", STRING).field("create", BOOL);
    static final Struct LABEL = new Struct("types.Label")
            .field("pairs", map(STRING)).field("includeSelectors", BOOL).field("includeTemplates", BOOL)
            .field("fields", slice(FIELD_SPEC));
    static final Struct SELECTOR = new Struct("types.Selector").inline(RES_ID)
            .field("annotationSelector", STRING).field("labelSelector", STRING);
    static final Struct PATCH = new Struct("types.Patch")
            .field("path", STRING).field("patch", STRING).field("target", ptr(SELECTOR))
            .field("options", map(BOOL));
    static final Struct IMAGE = new Struct("types.Image")
            .field("name", STRING).field("newName", STRING).field("tagSuffix", STRING).field("newTag", STRING)
            .field("digest", STRING);
    static final Struct FIELD_OPTIONS = new Struct("types.FieldOptions")
            .field("delimiter", STRING).field("index", INT).field("encoding", STRING).field("create", BOOL);
    static final Struct SOURCE_SELECTOR = new Struct("types.SourceSelector").inline(RES_ID)
            .field("fieldPath", STRING).field("options", ptr(FIELD_OPTIONS));
    static final Struct TARGET_SELECTOR = new Struct("types.TargetSelector")
            .field("select", ptr(SELECTOR)).field("reject", slice(ptr(SELECTOR)))
            .field("fieldPaths", slice(STRING)).field("options", ptr(FIELD_OPTIONS));
    static final Struct REPLACEMENT = new Struct("types.Replacement")
            .field("source", ptr(SOURCE_SELECTOR)).field("targets", slice(ptr(TARGET_SELECTOR)));
    static final Struct REPLACEMENT_FIELD = new Struct("types.ReplacementField").inline(REPLACEMENT)
            .field("path", STRING);
    static final Struct REPLICA = new Struct("types.Replica").field("name", STRING).field("count", INT64);
    static final Struct TARGET = new Struct("types.Target").field("apiVersion", STRING).inline(GVK)
            .field("name", STRING).field("namespace", STRING);
    static final Struct FIELD_SELECTOR = new Struct("types.FieldSelector").field("fieldPath", STRING);
    static final Struct VAR = new Struct("types.Var").field("name", STRING).field("objref", TARGET)
            .field("fieldref", FIELD_SELECTOR);
    static final Struct LEGACY_SORT_OPTIONS = new Struct("types.LegacySortOptions")
            .field("orderFirst", slice(STRING)).field("orderLast", slice(STRING));
    static final Struct SORT_OPTIONS = new Struct("types.SortOptions")
            .field("order", GoStruct.named("types.SortOrder", 's'))
            .field("legacySortOptions", ptr(LEGACY_SORT_OPTIONS));
    static final Struct GENERATOR_OPTIONS = new Struct("types.GeneratorOptions")
            .field("labels", map(STRING)).field("annotations", map(STRING))
            .field("disableNameSuffixHash", BOOL).field("immutable", BOOL);
    static final Struct KV_PAIR_SOURCES = new Struct("types.KvPairSources")
            .field("literals", slice(STRING)).field("files", slice(STRING)).field("envs", slice(STRING))
            .field("env", STRING);
    static final Struct GENERATOR_ARGS = new Struct("types.GeneratorArgs")
            .field("namespace", STRING).field("name", STRING).field("behavior", STRING).inline(KV_PAIR_SOURCES)
            .field("options", ptr(GENERATOR_OPTIONS));
    static final Struct CONFIG_MAP_ARGS = new Struct("types.ConfigMapArgs").inline(GENERATOR_ARGS);
    static final Struct SECRET_ARGS = new Struct("types.SecretArgs").inline(GENERATOR_ARGS).field("type", STRING);
    static final Struct HELM_GLOBALS = new Struct("types.HelmGlobals")
            .field("chartHome", STRING).field("configHome", STRING);
    static final Struct HELM_CHART = new Struct("types.HelmChart")
            .field("name", STRING).field("version", STRING).field("repo", STRING).field("releaseName", STRING)
            .field("namespace", STRING).field("additionalValuesFiles", slice(STRING)).field("valuesFile", STRING)
            .field("valuesInline", map(ANY)).field("valuesMerge", STRING).field("includeCRDs", BOOL)
            .field("skipHooks", BOOL).field("apiVersions", slice(STRING)).field("kubeVersion", STRING)
            .field("nameTemplate", STRING).field("skipTests", BOOL).field("debug", BOOL);
    static final Struct HELM_CHART_ARGS = new Struct("types.HelmChartArgs")
            .field("chartName", STRING).field("chartVersion", STRING).field("chartRepoUrl", STRING)
            .field("chartHome", STRING).field("chartRepoName", STRING).field("helmBin", STRING)
            .field("helmHome", STRING).field("values", STRING).field("valuesLocal", map(ANY))
            .field("valuesMerge", STRING).field("releaseName", STRING).field("releaseNamespace", STRING)
            .field("extraArgs", slice(STRING));

    static final Struct KUSTOMIZATION = new Struct("types.Kustomization").inline(TYPE_META)
            .field("metadata", ptr(OBJECT_META))
            .field("openapi", map(STRING))
            .field("namePrefix", STRING)
            .field("nameSuffix", STRING)
            .field("namespace", STRING)
            .field("commonLabels", map(STRING))
            .field("labels", slice(LABEL))
            .field("commonAnnotations", map(STRING))
            .field("patchesStrategicMerge", slice(GoStruct.named("types.PatchStrategicMerge", 's')))
            .field("patchesJson6902", slice(PATCH))
            .field("patches", slice(PATCH))
            .field("images", slice(IMAGE))
            .field("imageTags", slice(IMAGE))
            .field("replacements", slice(REPLACEMENT_FIELD))
            .field("replicas", slice(REPLICA))
            .field("vars", slice(VAR))
            .field("sortOptions", ptr(SORT_OPTIONS))
            .field("resources", slice(STRING))
            .field("components", slice(STRING))
            .field("crds", slice(STRING))
            .field("bases", slice(STRING))
            .field("configMapGenerator", slice(CONFIG_MAP_ARGS))
            .field("secretGenerator", slice(SECRET_ARGS))
            .field("helmGlobals", ptr(HELM_GLOBALS))
            .field("helmCharts", slice(HELM_CHART))
            .field("helmChartInflationGenerator", slice(HELM_CHART_ARGS))
            .field("generatorOptions", ptr(GENERATOR_OPTIONS))
            .field("configurations", slice(STRING))
            .field("generators", slice(STRING))
            .field("transformers", slice(STRING))
            .field("validators", slice(STRING))
            .field("buildMetadata", slice(STRING));

    /** builtinconfig.TransformerConfig: the field specs of a {@code configurations} file. */
    static final Struct NAME_BACK_REFERENCES = new Struct("builtinconfig.NameBackReferences").inline(GVK)
            .field("fieldSpecs", slice(FIELD_SPEC));
    static final Struct TRANSFORMER_CONFIG = new Struct("builtinconfig.TransformerConfig")
            .field("namePrefix", slice(FIELD_SPEC)).field("nameSuffix", slice(FIELD_SPEC))
            .field("namespace", slice(FIELD_SPEC)).field("commonLabels", slice(FIELD_SPEC))
            .field("labels", slice(FIELD_SPEC)).field("templateLabels", slice(FIELD_SPEC))
            .field("commonAnnotations", slice(FIELD_SPEC)).field("nameReference", slice(NAME_BACK_REFERENCES))
            .field("varReference", slice(FIELD_SPEC)).field("images", slice(FIELD_SPEC))
            .field("replicas", slice(FIELD_SPEC));
}
