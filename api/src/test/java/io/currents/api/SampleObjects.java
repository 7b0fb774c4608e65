package io.currents.api;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.AnnotatedMember;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.api.meta.DateTime;
import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.OneOf;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;

import java.lang.annotation.Annotation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds API objects with every property set to a value the CRD schema accepts, so a round trip
 * through the API server exercises every field, including fields added later.
 */
public final class SampleObjects {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Sample values for string fields with a pattern, keyed by the pattern. */
    private static final Map<String, String> BY_PATTERN = Map.ofEntries(
            Map.entry(FluxMeta.DURATION_PATTERN, "1m30s"),
            Map.entry(FluxMeta.TIMEOUT_PATTERN, "45s"),
            Map.entry("^(http|https|ssh)://.*$", "https://github.com/example/app"),
            Map.entry("^oci://.*$", "oci://ghcr.io/example/manifests"),
            Map.entry("^(http|https|oci)://.*$", "https://charts.example.com"),
            Map.entry("^(http|https)://.*$", "https://sts.example.com"),
            Map.entry("^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$", "sha256:2f1b7c0e9d"),
            Map.entry("^[\\-._a-zA-Z0-9]+$", "values-prod.yaml"),
            Map.entry("^([a-zA-Z0-9_\\-.\\\\\\/]|\\[[0-9]{1,5}\\])+$", "ingress.hosts[0]"),
            Map.entry("^https?://", "https://token.actions.githubusercontent.com"),
            Map.entry("^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)/(.*)$", "@backend/deploy/**"),
            Map.entry("^@(artifact)/(.*)$", "@artifact/backend/"),
            Map.entry("^@([a-z0-9]([a-z0-9_-]*[a-z0-9])?)$", "@backend"),
            Map.entry("^[a-z0-9]([a-z0-9_-]*[a-z0-9])?$", "backend"),
            Map.entry("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", "backend-repo"),
            Map.entry("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "apps"));

    private SampleObjects() {
    }

    /** An instance of {@code type} with every property set. */
    public static <T> T fullyPopulated(Class<T> type) {
        return type.cast(sample(MAPPER.constructType(type), null, type.getSimpleName()));
    }

    private static Object sample(JavaType type, AnnotatedMember member, String name) {
        Class<?> raw = type.getRawClass();
        if (raw == String.class) {
            return sampleString(member, name);
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return Boolean.TRUE;
        }
        if (raw == Long.class || raw == long.class) {
            return 7L;
        }
        if (raw == Integer.class || raw == int.class) {
            return 3;
        }
        if (raw == JsonNode.class) {
            ObjectNode values = JsonNodeFactory.instance.objectNode();
            values.put("replicaCount", 2);
            values.putObject("image").put("tag", "1.2.3").put("pullPolicy", "IfNotPresent");
            values.putArray("hosts").add("a.example.com").add(JsonNodeFactory.instance.objectNode().put("weight", 1.5));
            return values;
        }
        if (raw == Condition.class) {
            return new ConditionBuilder().withType("Ready").withStatus("True").withReason("Succeeded")
                    .withMessage("stored artifact for revision 'main@sha1:abc'").withLastTransitionTime("2024-05-01T10:00:00Z")
                    .withObservedGeneration(7L).build();
        }
        if (raw == LabelSelector.class) {
            return new LabelSelectorBuilder().addToMatchLabels("app", "web")
                    .addNewMatchExpression().withKey("tier").withOperator("In").withValues("frontend").endMatchExpression().build();
        }
        if (type.isCollectionLikeType()) {
            return List.of(sample(type.getContentType(), member, name));
        }
        if (type.isMapLikeType()) {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("sample-key", sample(type.getContentType(), null, name));
            return map;
        }
        if (!raw.getPackageName().startsWith("io.currents.api")) {
            throw new IllegalStateException("no sample for " + type + " at " + name);
        }
        try {
            Object bean = raw.getDeclaredConstructor().newInstance();
            BeanDescription description = MAPPER.getDeserializationConfig().introspect(type);
            for (BeanPropertyDefinition property : description.findProperties()) {
                if (property.getSetter() == null) {
                    continue;
                }
                AnnotatedMember annotated = property.getField() != null ? property.getField() : property.getSetter();
                Object value = sample(property.getPrimaryType(), annotated, raw.getSimpleName() + "." + property.getName());
                property.getSetter().callOnWith(bean, value);
            }
            return bean;
        } catch (Exception e) {
            throw new IllegalStateException("cannot build a sample " + raw.getName(), e);
        }
    }

    private static String sampleString(AnnotatedMember member, String name) {
        OneOf oneOf = annotation(member, OneOf.class);
        if (oneOf != null) {
            return oneOf.value()[0];
        }
        if (annotation(member, DateTime.class) != null) {
            return "2024-05-01T10:00:00Z";
        }
        Pattern pattern = annotation(member, Pattern.class);
        if (pattern != null) {
            String value = BY_PATTERN.get(pattern.value());
            if (value == null) {
                throw new IllegalStateException("add a sample value for pattern " + pattern.value() + " (" + name + ")");
            }
            return value;
        }
        return "sample-" + name.substring(name.lastIndexOf('.') + 1).toLowerCase();
    }

    private static <A extends Annotation> A annotation(AnnotatedMember member, Class<A> type) {
        return member == null ? null : member.getAnnotation(type);
    }
}
