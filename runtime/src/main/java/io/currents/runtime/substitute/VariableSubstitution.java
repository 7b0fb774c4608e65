package io.currents.runtime.substitute;

import io.currents.kustomize.yaml.BoundedLoad;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import org.snakeyaml.engine.v2.schema.Schema;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Flux post-build variable substitution ({@code spec.postBuild.substitute} / {@code substituteFrom}) applied
 * to one object at a time: the object is written as YAML, expanded with {@link Envsubst}, and read back, so
 * a value like {@code replicas: ${REPLICAS}} becomes a number, exactly as in Flux.
 */
public final class VariableSubstitution {

    /** Label or annotation that opts an object out of substitution when set to {@code disabled}. */
    public static final String SUBSTITUTE_KEY = "kustomize.toolkit.fluxcd.io/substitute";
    public static final String DISABLED = "disabled";

    /** The variable name rule Flux enforces before substituting. */
    public static final String NAME_RULE = "^[_[:alpha:]][_[:alpha:][:digit:]]*$";
    private static final Pattern NAME = Pattern.compile("^[_\\p{Alpha}][_\\p{Alpha}\\p{Digit}]*$");

    /**
     * YAML 1.2 core schema minus snakeyaml's {@code !env} resolver, which would quote {@code ${VAR}} on output
     * (defeating {@code replicas: ${REPLICAS}}) and expand environment variables on input.
     */
    private static final Schema LITERAL_DOLLAR_BRACES = new CoreSchema() {
        @Override
        public ScalarResolver getScalarResolver() {
            ScalarResolver core = super.getScalarResolver();
            return (value, implicit) -> {
                Tag tag = core.resolve(value, implicit);
                return Tag.ENV_TAG.equals(tag) ? Tag.STR : tag;
            };
        }
    };

    private final Map<String, String> variables;
    private final boolean strict;
    private final boolean always;

    /** Substitutes only when there are variables: {@code postBuild.substituteStrategy: WithVariables}, the default. */
    public VariableSubstitution(Map<String, String> variables, boolean strict) {
        this(variables, strict, false);
    }

    /**
     * @param variables name to value; newlines in values are dropped as Flux does, so a multi-line Secret
     *                  value cannot break the YAML it is substituted into
     * @param strict    when true an undefined variable without a default is an error
     * @param always    {@code postBuild.substituteStrategy: Always}: substitute even without variables, so that
     *                  {@code ${var:=default}} takes its default
     */
    public VariableSubstitution(Map<String, String> variables, boolean strict, boolean always) {
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : variables.entrySet()) {
            if (!NAME.matcher(e.getKey()).matches()) {
                throw new SubstitutionException("'" + e.getKey() + "' var name is invalid, must match '" + NAME_RULE + "'");
            }
            copy.put(e.getKey(), e.getValue() == null ? "" : e.getValue().replace("\n", ""));
        }
        this.variables = copy;
        this.strict = strict;
        this.always = always;
    }

    /** True when the object carries {@code kustomize.toolkit.fluxcd.io/substitute: disabled}. */
    @SuppressWarnings("unchecked")
    public static boolean isOptedOut(Map<String, Object> object) {
        Object metadata = object.get("metadata");
        if (!(metadata instanceof Map<?, ?> meta)) {
            return false;
        }
        for (String field : new String[] {"labels", "annotations"}) {
            Object values = meta.get(field);
            if (values instanceof Map<?, ?> map && DISABLED.equals(((Map<String, Object>) map).get(SUBSTITUTE_KEY))) {
                return true;
            }
        }
        return false;
    }

    /** Expands the variables in a copy of {@code object}; returns the object unchanged when it opted out. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> apply(Map<String, Object> object) {
        if (isOptedOut(object)) {
            return object;
        }
        // Flux substitutes only when there is something to substitute with, unless the strategy is Always.
        if (variables.isEmpty() && !always) {
            return object;
        }
        String yaml = new Dump(DumpSettings.builder()
                .setDefaultFlowStyle(FlowStyle.BLOCK)
                .setWidth(Integer.MAX_VALUE)
                .setSplitLines(false)
                .setSchema(LITERAL_DOLLAR_BRACES)
                .build()).dumpToString(object);
        String expanded;
        try {
            expanded = Envsubst.eval(yaml, name -> {
                String v = variables.get(name);
                return strict ? Optional.ofNullable(v) : Optional.of(v == null ? "" : v);
            });
        } catch (SubstitutionException e) {
            throw new SubstitutionException(describe(object) + " variable substitution failed: " + e.getMessage(), e);
        }
        Object parsed;
        try {
            parsed = BoundedLoad.loadOne(LoadSettings.builder().setSchema(LITERAL_DOLLAR_BRACES).build(), expanded);
        } catch (RuntimeException e) {
            throw new SubstitutionException(describe(object) + " variable substitution produced invalid YAML: "
                    + e.getMessage().lines().findFirst().orElse(""), e);
        }
        if (!(parsed instanceof Map<?, ?>)) {
            throw new SubstitutionException(describe(object) + " variable substitution produced a non-object document");
        }
        return (Map<String, Object>) parsed;
    }

    /** Expands the variables in a Kubernetes object. */
    @SuppressWarnings("unchecked")
    public GenericKubernetesResource apply(GenericKubernetesResource object) {
        Map<String, Object> map = Serialization.jsonMapper().convertValue(object, Map.class);
        return Serialization.jsonMapper().convertValue(apply(map), GenericKubernetesResource.class);
    }

    private static String describe(Map<String, Object> object) {
        Object kind = object.get("kind");
        String name = "";
        String namespace = "";
        if (object.get("metadata") instanceof Map<?, ?> meta) {
            name = String.valueOf(meta.get("name"));
            namespace = meta.get("namespace") == null ? "" : String.valueOf(meta.get("namespace"));
        }
        return namespace.isEmpty() ? kind + "/" + name : kind + "/" + namespace + "/" + name;
    }
}
