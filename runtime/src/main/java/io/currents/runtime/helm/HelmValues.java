package io.currents.runtime.helm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.meta.ValuesReference;
import io.currents.kustomize.yaml.AliasBudget;
import io.currents.kustomize.yaml.YamlException;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The values a HelmRelease is made with: {@code spec.valuesFrom} in order (whole YAML documents merged deeply, or
 * one value placed at a {@code targetPath}), then {@code spec.values} on top. Used by helm-controller for every
 * release and by {@code currents debug helmrelease --show-values}, so both read the same values.
 */
public final class HelmValues {

    /** A values reference that cannot be resolved (Flux's ValuesError). */
    public static final class ValuesError extends Exception {
        public ValuesError(String message) {
            super(message);
        }
    }

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private HelmValues() {
    }

    public static ObjectNode compose(KubernetesClient client, HelmRelease hr) throws ValuesError {
        return compose(client, hr, new SecretValues());
    }

    /** The same, remembering in {@code secrets} every value that came from a Secret, to be masked in messages. */
    public static ObjectNode compose(KubernetesClient client, HelmRelease hr, SecretValues secrets) throws ValuesError {
        ObjectNode result = JsonNodeFactory.instance.objectNode();
        String namespace = hr.getMetadata().getNamespace();
        List<ValuesReference> refs = hr.getSpec().getValuesFrom() == null ? List.of() : hr.getSpec().getValuesFrom();
        for (ValuesReference ref : refs) {
            String key = ref.getValuesKey() == null || ref.getValuesKey().isEmpty() ? "values.yaml" : ref.getValuesKey();
            boolean optional = Boolean.TRUE.equals(ref.getOptional());
            String subject = ref.getKind() + " '" + namespace + "/" + ref.getName() + "'";
            String text;
            try {
                text = switch (ref.getKind()) {
                    case "ConfigMap" -> {
                        ConfigMap cm = client.configMaps().inNamespace(namespace).withName(ref.getName()).get();
                        if (cm == null) {
                            yield null;
                        }
                        if (cm.getData() == null || !cm.getData().containsKey(key)) {
                            yield missingKey(optional, key, subject);
                        }
                        yield cm.getData().get(key);
                    }
                    case "Secret" -> {
                        Secret s = client.secrets().inNamespace(namespace).withName(ref.getName()).get();
                        if (s == null) {
                            yield null;
                        }
                        if (s.getData() == null || !s.getData().containsKey(key)) {
                            yield missingKey(optional, key, subject);
                        }
                        yield new String(Base64.getDecoder().decode(s.getData().get(key)), StandardCharsets.UTF_8);
                    }
                    default -> throw new ValuesError("unsupported ValuesReference kind '" + ref.getKind() + "'");
                };
            } catch (KubernetesClientException e) {
                throw new ValuesError("could not get " + subject + ": " + e.getMessage());
            }
            if (text == null) {
                if (optional) {
                    continue;
                }
                throw new ValuesError("could not resolve " + ref.getKind() + " chart values reference '" + namespace + "/"
                        + ref.getName() + "' with key '" + key + "': not found");
            }
            boolean fromSecret = "Secret".equals(ref.getKind());
            if (ref.getTargetPath() != null && !ref.getTargetPath().isBlank()) {
                if (fromSecret) {
                    secrets.add(text);
                }
                setAtPath(result, ref.getTargetPath(), text, Boolean.TRUE.equals(ref.getLiteral()));
                continue;
            }
            JsonNode doc;
            try {
                // refused as go-yaml (Flux, Helm) refuses it, before any reader walks the expansion
                AliasBudget.checkText(text);
                doc = text.isBlank() ? JsonNodeFactory.instance.objectNode() : YAML.readTree(text);
            } catch (JsonProcessingException e) {
                // The values may be secret: name the reference, never the content.
                throw new ValuesError("unable to read values from key '" + key + "' in " + subject + ": invalid YAML");
            } catch (YamlException e) {
                throw new ValuesError("unable to read values from key '" + key + "' in " + subject + ": " + e.getMessage());
            }
            if (doc != null && !doc.isNull() && !doc.isMissingNode()) {
                if (!doc.isObject()) {
                    throw new ValuesError("values in key '" + key + "' of " + subject + " are not a YAML map");
                }
                if (fromSecret) {
                    secrets.addDocument(doc);
                }
                merge(result, (ObjectNode) doc);
            }
        }
        JsonNode inline = hr.getSpec().getValues();
        if (inline != null && inline.isObject()) {
            merge(result, (ObjectNode) inline.deepCopy());
        }
        return result;
    }

    private static String missingKey(boolean optional, String key, String subject) throws ValuesError {
        if (optional) {
            return null;
        }
        throw new ValuesError("missing key '" + key + "' in " + subject);
    }

    /** Deep merge: maps merge key by key, anything else in {@code overlay} replaces. */
    public static void merge(ObjectNode base, ObjectNode overlay) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            JsonNode existing = base.get(e.getKey());
            if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode vo) {
                merge(eo, vo);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        }
    }

    /** Places one value at a dotted path ({@code a.b.c}, {@code \.} escapes a dot), typed as Helm's --set would. */
    public static void setAtPath(ObjectNode root, String path, String value) throws ValuesError {
        setAtPath(root, path, value, false);
    }

    /** The same; with {@code literal} the value is the exact string, as {@code helm --set-literal} places it. */
    public static void setAtPath(ObjectNode root, String path, String value, boolean literal) throws ValuesError {
        List<String> keys = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (c == '\\' && i + 1 < path.length()) {
                current.append(path.charAt(++i));
            } else if (c == '.') {
                keys.add(current.toString());
                current.setLength(0);
            } else {
                current.append(c);
            }
        }
        keys.add(current.toString());
        if (keys.stream().anyMatch(String::isEmpty)) {
            throw new ValuesError("invalid targetPath '" + path + "'");
        }
        ObjectNode node = root;
        for (int i = 0; i < keys.size() - 1; i++) {
            JsonNode child = node.get(keys.get(i));
            if (!(child instanceof ObjectNode)) {
                child = node.putObject(keys.get(i));
            }
            node = (ObjectNode) child;
        }
        String last = keys.getLast();
        String trimmed = value.strip();
        if (literal) {
            node.put(last, value);
        } else if (trimmed.equals("true") || trimmed.equals("false")) {
            node.put(last, Boolean.parseBoolean(trimmed));
        } else if (trimmed.equals("null")) {
            node.putNull(last);
        } else if (trimmed.matches("-?[1-9][0-9]{0,17}|0")) {
            long number = Long.parseLong(trimmed);
            if (number == (int) number) {
                node.put(last, (int) number);
            } else {
                node.put(last, number);
            }
        } else {
            node.put(last, value);
        }
    }
}
