package io.currents.kustomize;

import io.currents.api.regex.GoRegex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The ImageTagTransformer built-in (the kustomization's {@code images}): rewrites matching images in
 * every {@code containers}/{@code initContainers} list of any object (except CRDs) and at the image
 * field specs: a new name, tag, digest or tag suffix.
 */
final class ImageTagTransformer implements BuiltinPlugin.Transformer {
    static final GoStruct.Struct SCHEMA = new GoStruct.Struct("builtins.ImageTagTransformerPlugin")
            .field("imageTag", KustomizationSchema.IMAGE)
            .field("fieldSpecs", GoStruct.slice(KustomizationSchema.FIELD_SPEC));

    record Image(String name, String newName, String newTag, String digest, String tagSuffix) {
        static Image of(Map<String, Object> m) {
            return new Image(BuiltinPlugin.str(m, "name"), BuiltinPlugin.str(m, "newName"),
                    BuiltinPlugin.str(m, "newTag"), BuiltinPlugin.str(m, "digest"), BuiltinPlugin.str(m, "tagSuffix"));
        }
    }

    private Image image;
    private List<FieldSpec> fieldSpecs = new ArrayList<>();
    private GoRegex pattern;

    static ImageTagTransformer of(Map<String, Object> image, List<FieldSpec> fieldSpecs) {
        ImageTagTransformer t = new ImageTagTransformer();
        t.image = Image.of(image);
        t.fieldSpecs = fieldSpecs;
        return t;
    }

    @Override
    public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> config) {
        Map<String, Object> c = BuiltinPlugin.decode(config, SCHEMA);
        Map<String, Object> it = Nodes.asMap(c.get("imageTag"));
        image = Image.of(it);
        fieldSpecs = TransformerConfig.specs(c.get("fieldSpecs"));
    }

    @Override
    public void transform(ResMap m) {
        try {
            pattern = GoRegex.compile("^" + image.name() + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?\\z");
        } catch (GoRegex.InvalidRegexException e) {
            pattern = null;
        }
        for (Resource r : m.list) {
            if (!"CustomResourceDefinition".equals(r.kind())) {
                findContainers(r.obj);
            }
        }
        for (Resource r : m.list) {
            if ("CustomResourceDefinition".equals(r.kind())) {
                continue;
            }
            for (FieldSpec fs : fieldSpecs) {
                fs.apply(r, FieldSpec.CreateKind.NONE, cur -> {
                    if (cur instanceof Map || cur instanceof List) {
                        throw new KustomizeException("wrong node kind: expected ScalarNode but got "
                                + (cur instanceof Map ? "MappingNode" : "SequenceNode"));
                    }
                    return update(cur == null ? "" : Nodes.scalarText(cur));
                });
            }
        }
    }

    /** The legacy filter: every containers/initContainers sequence anywhere in the object. */
    private void findContainers(Object node) {
        if (node instanceof Map<?, ?> mm) {
            for (Map.Entry<?, ?> e : mm.entrySet()) {
                findContainers(e.getValue());
                if ((e.getKey().equals("containers") || e.getKey().equals("initContainers")) && e.getValue() instanceof List<?> l) {
                    for (Object c : l) {
                        Map<String, Object> cm = Nodes.asMap(c);
                        if (cm == null) {
                            if (c != null) {
                                throw new KustomizeException("wrong node kind: expected MappingNode but got "
                                        + (c instanceof List ? "SequenceNode" : "ScalarNode"));
                            }
                            continue;
                        }
                        if (!cm.containsKey("image")) {
                            continue;
                        }
                        Object img = cm.get("image");
                        if (img instanceof Map || img instanceof List) {
                            throw new KustomizeException("wrong node kind: expected ScalarNode but got "
                                    + (img instanceof Map ? "MappingNode" : "SequenceNode"));
                        }
                        Object u = update(img == null ? "" : Nodes.scalarText(img));
                        if (u != FieldSpec.UNCHANGED) {
                            cm.put("image", u);
                        }
                    }
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object x : l) {
                findContainers(x);
            }
        }
    }

    private Object update(String value) {
        if (pattern == null || !pattern.find(value)) {
            return FieldSpec.UNCHANGED;
        }
        String[] parts = split(value);
        String name = parts[0];
        String tag = parts[1];
        String digest = parts[2];
        if (!image.newName().isEmpty()) {
            name = image.newName();
        }
        if (!image.newTag().isEmpty() && !image.digest().isEmpty()) {
            tag = image.newTag();
            digest = image.digest();
        } else if (!image.newTag().isEmpty()) {
            tag = image.newTag();
            digest = "";
        } else if (!image.digest().isEmpty()) {
            tag = "";
            digest = image.digest();
        } else if (!image.tagSuffix().isEmpty()) {
            tag += image.tagSuffix();
            digest = "";
        }
        if (!tag.isEmpty()) {
            name += ":" + tag;
        }
        if (!digest.isEmpty()) {
            name += "@" + digest;
        }
        return name;
    }

    /** kustomize's image.Split: name, tag and digest (a registry port is not a tag). */
    static String[] split(String image) {
        String search = image;
        int slash = image.indexOf('/');
        if (slash > 0) {
            search = image.substring(slash);
        } else {
            slash = 0;
        }
        int id = search.indexOf('@');
        int ic = search.indexOf(':');
        if (ic < 0 && id < 0) {
            return new String[] {image, "", ""};
        }
        if (id >= 0 && (id < ic || ic < 0)) {
            id += slash;
            return new String[] {image.substring(0, id), "", image.substring(id + 1)};
        }
        if (id >= 0) {
            id += slash;
            ic += slash;
            return new String[] {image.substring(0, ic), image.substring(ic + 1, id), image.substring(id + 1)};
        }
        ic += slash;
        return new String[] {image.substring(0, ic), image.substring(ic + 1), ""};
    }
}
