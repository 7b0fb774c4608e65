package io.currents.kustomize;

import io.currents.api.regex.GoRegex;
import io.currents.kustomize.yaml.YamlException;
import io.currents.kustomize.yaml.YamlReader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** The built-in transformers of a kustomization, run in kustomize's order. */
final class Transformers {
    private Transformers() {
    }

    static void run(KustTarget kt, KustTarget.Accumulator ra) {
        Kustomization k = kt.k;
        ResMap m = ra.resources;
        TransformerConfig tc = ra.config;
        patchesStrategicMerge(kt, m);
        patches(kt, m);
        String ns = k.str("namespace");
        if (!ns.isEmpty()) {
            namespace(m, ns, tc.namespace);
        }
        prefixSuffix(m, k.str("namePrefix"), true, tc.namePrefix);
        prefixSuffix(m, k.str("nameSuffix"), false, tc.nameSuffix);
        labels(k, m, tc);
        Map<String, String> ann = k.stringMap("commonAnnotations");
        if (!ann.isEmpty()) {
            setEntries(m, ann, tc.commonAnnotations);
        }
        patchesJson6902(kt, m);
        replicas(k, m, tc);
        images(k, m, tc);
        Replacements.run(kt, m);
    }

    // ---- patches ----

    private static List<Map<String, Object>> parsePatchDocs(String text, String where) {
        try {
            List<Map<String, Object>> out = new ArrayList<>();
            for (Object d : YamlReader.readAll(text)) {
                Map<String, Object> m = Nodes.asMap(d);
                if (m == null) {
                    throw new KustomizeException("patch in " + where + " is not an object");
                }
                out.add(m);
            }
            return out;
        } catch (YamlException e) {
            throw new KustomizeException("MalformedYAMLError: " + e.getMessage() + " in " + where);
        }
    }

    private static void patchesStrategicMerge(KustTarget kt, ResMap m) {
        for (String p : kt.k.strings("patchesStrategicMerge")) {
            String text;
            String where;
            if (!p.contains("\n") && (kt.ldr.isFile(p) || !p.trim().contains(":"))) {
                text = kt.ldr.read(p);
                where = kt.ldr.resolve(p).toString();
            } else {
                text = p;
                where = "inline patch in " + kt.kustomizationPath;
            }
            for (Map<String, Object> doc : parsePatchDocs(text, where)) {
                Resource patch = new Resource(doc);
                Resource target = m.getById(patch.curId());
                applySmPatch(m, target, patch, false, false);
            }
        }
    }

    private static void patches(KustTarget kt, ResMap m) {
        for (Map<String, Object> p : kt.k.objects("patches")) {
            String path = Kustomization.asString(p.get("path"), "Patch.path");
            String inline = Kustomization.asString(p.get("patch"), "Patch.patch");
            if (!path.isEmpty() && !inline.isEmpty()) {
                throw new KustomizeException("patch and path can't be set at the same time");
            }
            if (path.isEmpty() && inline.isEmpty()) {
                throw new KustomizeException("must specify one of patch and path in " + kt.kustomizationPath);
            }
            String text = path.isEmpty() ? inline : kt.ldr.read(path);
            String where = path.isEmpty() ? "inline patch in " + kt.kustomizationPath : kt.ldr.resolve(path).toString();
            ResMap.Selector target = ResMap.Selector.fromMap(Nodes.asMap(p.get("target")), "Patch.target");
            Map<String, Object> opts = Nodes.asMap(p.get("options"));
            boolean allowName = opts != null && Kustomization.asBool(opts.get("allowNameChange"), "Patch.options");
            boolean allowKind = opts != null && Kustomization.asBool(opts.get("allowKindChange"), "Patch.options");
            List<Object> docs;
            try {
                docs = YamlReader.readAll(text);
            } catch (YamlException e) {
                throw new KustomizeException("unable to parse SM or JSON patch from " + text);
            }
            if (docs.size() == 1 && docs.get(0) instanceof List<?> ops) {
                if (target == null) {
                    throw new KustomizeException("must specify a target for patch " + text);
                }
                List<Object> parsedOps = JsonPatch.v2Ops(text);
                for (Resource r : m.select(target)) {
                    JsonPatch.apply(r, parsedOps, where);
                }
                continue;
            }
            List<Map<String, Object>> smDocs = new ArrayList<>();
            for (Object d : docs) {
                Map<String, Object> dm = Nodes.asMap(d);
                if (dm == null) {
                    throw new KustomizeException("unable to parse SM or JSON patch from " + text);
                }
                smDocs.add(dm);
            }
            if (target == null) {
                for (Map<String, Object> doc : smDocs) {
                    Resource patch = new Resource(doc);
                    Resource t = m.getById(patch.curId());
                    applySmPatch(m, t, patch, allowName, allowKind);
                }
            } else {
                List<Resource> selected = m.select(target);
                for (Map<String, Object> doc : smDocs) {
                    for (Resource r : selected) {
                        if (!m.list.contains(r)) {
                            continue;
                        }
                        // the patch takes the target's identity (kustomize's CopyMergeMetaDataFieldsFrom)
                        Resource patch = new Resource(Nodes.copyMap(doc));
                        if (!allowName) {
                            patch.setName(r.name());
                        }
                        patch.setNamespace(r.namespace());
                        patch.obj.put("apiVersion", r.apiVersion());
                        if (!allowKind) {
                            patch.setKind(r.kind());
                        }
                        applySmPatch(m, r, patch, allowName, allowKind);
                    }
                }
            }
        }
    }

    static void applySmPatch(ResMap m, Resource r, Resource patch, boolean allowName, boolean allowKind) {
        String n = r.name();
        String ns = r.namespace();
        String k = r.kind();
        if (allowName || allowKind) {
            r.storePreviousId();
        }
        Map<String, Object> merged = StrategicMerge.merge(r.obj, patch.obj);
        if (merged == null || merged.isEmpty()) {
            m.remove(r);
            return;
        }
        r.obj = merged;
        if (!allowKind) {
            r.setKind(k);
        }
        if (!allowName) {
            r.setName(n);
        }
        r.setNamespace(ns);
    }

    private static void patchesJson6902(KustTarget kt, ResMap m) {
        for (Map<String, Object> p : kt.k.objects("patchesJson6902")) {
            ResMap.Selector target = ResMap.Selector.fromMap(Nodes.asMap(p.get("target")), "Patch.target");
            String path = Kustomization.asString(p.get("path"), "Patch.path");
            String inline = Kustomization.asString(p.get("patch"), "Patch.patch");
            String text = path.isEmpty() ? inline : kt.ldr.read(path);
            String where = path.isEmpty() ? "inline patch in " + kt.kustomizationPath : kt.ldr.resolve(path).toString();
            if (target == null) {
                throw new KustomizeException("must specify a target for patch " + text);
            }
            List<Object> ops = JsonPatch.v2Ops(text);
            for (Resource r : m.select(target)) {
                JsonPatch.apply(r, ops, where);
            }
        }
    }

    // ---- namespace ----

    static void namespace(ResMap m, String ns, List<FieldSpec> fieldSpecs) {
        for (Resource r : new ArrayList<>(m.list)) {
            if (r.isEmpty()) {
                continue;
            }
            r.storePreviousId();
            Gvk gvk = r.gvk();
            if (!gvk.isClusterScoped()) {
                r.metadata().put("namespace", ns);
            }
            boolean roleBinding = gvk.kind().equals("RoleBinding") || gvk.kind().equals("ClusterRoleBinding");
            if (roleBinding) {
                List<Object> subjects = Nodes.asList(r.obj.get("subjects"));
                if (subjects != null) {
                    for (Object s : subjects) {
                        Map<String, Object> sm = Nodes.asMap(s);
                        if (sm != null && "default".equals(Nodes.getString(sm, "name"))) {
                            sm.put("namespace", ns);
                        }
                    }
                }
            }
            for (FieldSpec fs : fieldSpecs) {
                if (fs.path().equals("metadata/namespace")) {
                    continue;
                }
                if (fs.path().equals("metadata/name") && !"v1".equals(r.apiVersion())) {
                    continue;
                }
                if (roleBinding && fs.path().equals("subjects/namespace")
                        && (fs.gvk().kind().equals("RoleBinding") || fs.gvk().kind().equals("ClusterRoleBinding"))) {
                    continue;
                }
                if (!fs.appliesTo(r)) {
                    continue;
                }
                fs.apply(r.obj, FieldSpec.CreateKind.SCALAR, cur -> {
                    if (cur instanceof Map || cur instanceof List) {
                        throw new KustomizeException("namespace field specs must target scalar nodes");
                    }
                    return ns;
                });
            }
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Resource r : m) {
            if (!seen.add(r.curId().key())) {
                throw new KustomizeException("namespace transformation produces ID conflict: " + r.curId());
            }
        }
    }

    // ---- prefix / suffix ----

    private static void prefixSuffix(ResMap m, String affix, boolean prefix, List<FieldSpec> fieldSpecs) {
        if (affix.isEmpty()) {
            return;
        }
        for (Resource r : m) {
            ResId org = r.orgId();
            String kind = org.gvk().kind();
            if (kind.equals("CustomResourceDefinition") || kind.equals("Namespace")
                    || (kind.equals("APIService") && org.gvk().group().equals("apiregistration.k8s.io"))) {
                continue;
            }
            for (FieldSpec fs : fieldSpecs) {
                if (!org.gvk().isSelectedBy(fs.gvk())) {
                    continue;
                }
                if (fs.path().equals("metadata/name")) {
                    r.storePreviousId();
                }
                fs.apply(r.obj, FieldSpec.CreateKind.NONE, cur -> {
                    if (cur == null || cur instanceof Map || cur instanceof List) {
                        return FieldSpec.UNCHANGED;
                    }
                    String v = Nodes.scalarText(cur);
                    return prefix ? affix + v : v + affix;
                });
            }
            if (prefix) {
                r.prefixes.add(affix);
            } else {
                r.suffixes.add(affix);
            }
        }
    }

    // ---- labels and annotations ----

    private static void labels(Kustomization k, ResMap m, TransformerConfig tc) {
        for (Map<String, Object> l : k.objects("labels")) {
            Map<String, String> pairs = Kustomization.asStringMap(l.get("pairs"), "Label.pairs");
            boolean sel = Kustomization.asBool(l.get("includeSelectors"), "Label.includeSelectors");
            boolean tmpl = Kustomization.asBool(l.get("includeTemplates"), "Label.includeTemplates");
            List<FieldSpec> fss = new ArrayList<>();
            List<Map<String, Object>> custom = Kustomization.asObjects(l.get("fields"), "Label.fields");
            for (Map<String, Object> f : custom) {
                fss.add(Configurations.fieldSpec(f));
            }
            if (sel) {
                TransformerConfig.mergeList(fss, tc.commonLabels);
            } else {
                TransformerConfig.mergeList(fss, List.of(FieldSpec.of("metadata/labels", true)));
                if (tmpl) {
                    TransformerConfig.mergeList(fss, tc.templateLabels);
                }
            }
            if (!pairs.isEmpty()) {
                setEntries(m, pairs, fss);
            }
        }
        Map<String, String> common = k.stringMap("commonLabels");
        if (!common.isEmpty()) {
            setEntries(m, common, tc.commonLabels);
        }
    }

    static void setEntries(ResMap m, Map<String, String> entries, List<FieldSpec> fieldSpecs) {
        Map<String, String> sorted = new TreeMap<>(entries);
        for (Resource r : m) {
            for (FieldSpec fs : fieldSpecs) {
                if (!fs.appliesTo(r)) {
                    continue;
                }
                fs.apply(r.obj, FieldSpec.CreateKind.MAP, cur -> {
                    Map<String, Object> cm = Nodes.asMap(cur);
                    if (cm == null) {
                        if (cur == null) {
                            return FieldSpec.UNCHANGED;
                        }
                        throw new KustomizeException("wrong node kind: expected MappingNode but got "
                                + (cur instanceof List ? "SequenceNode" : "ScalarNode"));
                    }
                    cm.putAll(sorted);
                    return FieldSpec.UNCHANGED;
                });
            }
        }
    }

    // ---- replicas ----

    private static void replicas(Kustomization k, ResMap m, TransformerConfig tc) {
        for (Map<String, Object> rep : k.objects("replicas")) {
            String name = Kustomization.asString(rep.get("name"), "Replica.name");
            long count = Kustomization.asLong(rep.get("count"), "Replica.count");
            boolean found = false;
            for (FieldSpec fs : tc.replicas) {
                List<Resource> matched = m.matchingAnyId(id -> id.name().equals(name) && id.gvk().isSelectedBy(fs.gvk()));
                if (!matched.isEmpty()) {
                    found = true;
                }
                for (Resource r : matched) {
                    fs.apply(r.obj, FieldSpec.CreateKind.SCALAR, cur -> count);
                }
            }
            if (!found) {
                List<String> gvks = new ArrayList<>();
                for (FieldSpec fs : tc.replicas) {
                    gvks.add(fs.gvk().toString());
                }
                throw new KustomizeException("resource with name " + name
                        + " does not match a config with the following GVK " + gvks.toString().replace(",", ""));
            }
        }
    }

    // ---- images ----

    record Image(String name, String newName, String newTag, String digest) {
    }

    private static void images(Kustomization k, ResMap m, TransformerConfig tc) {
        List<Map<String, Object>> list = new ArrayList<>(k.objects("images"));
        list.addAll(k.objects("imageTags"));
        for (Map<String, Object> im : list) {
            Image img = new Image(Kustomization.asString(im.get("name"), "Image.name"),
                    Kustomization.asString(im.get("newName"), "Image.newName"),
                    Kustomization.asString(im.get("newTag"), "Image.newTag"),
                    Kustomization.asString(im.get("digest"), "Image.digest"));
            GoRegex p;
            try {
                p = GoRegex.compile("^" + img.name() + "(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-fA-F0-9]{32,})?$");
            } catch (GoRegex.InvalidRegexException e) {
                continue;
            }
            for (Resource r : m) {
                if (!"CustomResourceDefinition".equals(r.kind())) {
                    findContainers(r.obj, img, p);
                }
                for (FieldSpec fs : tc.images) {
                    if (fs.appliesTo(r)) {
                        fs.apply(r.obj, FieldSpec.CreateKind.NONE, cur -> {
                            if (cur instanceof Map || cur instanceof List) {
                                throw new KustomizeException("wrong node kind: expected ScalarNode");
                            }
                            return cur == null ? FieldSpec.UNCHANGED : updateImage(Nodes.scalarText(cur), img, p);
                        });
                    }
                }
            }
        }
    }

    private static void findContainers(Object node, Image img, GoRegex p) {
        if (node instanceof Map<?, ?> mm) {
            for (Map.Entry<?, ?> e : mm.entrySet()) {
                findContainers(e.getValue(), img, p);
                if ((e.getKey().equals("containers") || e.getKey().equals("initContainers")) && e.getValue() instanceof List<?> l) {
                    for (Object c : l) {
                        Map<String, Object> cm = Nodes.asMap(c);
                        if (cm != null && cm.containsKey("image") && Nodes.isScalar(cm.get("image")) && cm.get("image") != null) {
                            Object u = updateImage(Nodes.scalarText(cm.get("image")), img, p);
                            if (u != FieldSpec.UNCHANGED) {
                                cm.put("image", u);
                            }
                        }
                    }
                }
            }
        } else if (node instanceof List<?> l) {
            for (Object x : l) {
                findContainers(x, img, p);
            }
        }
    }

    static Object updateImage(String value, Image img, GoRegex p) {
        if (!p.matches(value)) {
            return FieldSpec.UNCHANGED;
        }
        String[] parts = splitImage(value);
        String name = parts[0];
        String tag = parts[1];
        String digest = parts[2];
        if (!img.newName().isEmpty()) {
            name = img.newName();
        }
        if (!img.newTag().isEmpty() && !img.digest().isEmpty()) {
            tag = img.newTag();
            digest = img.digest();
        } else if (!img.newTag().isEmpty()) {
            tag = img.newTag();
            digest = "";
        } else if (!img.digest().isEmpty()) {
            tag = "";
            digest = img.digest();
        }
        if (!tag.isEmpty()) {
            name += ":" + tag;
        }
        if (!digest.isEmpty()) {
            name += "@" + digest;
        }
        return name;
    }

    static String[] splitImage(String image) {
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
