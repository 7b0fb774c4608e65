package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.OutputOptions;
import io.currents.kustomize.yaml.YamlReader;
import io.currents.runtime.apply.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * {@code currents tree kustomization <name>}: the objects a Kustomization applied (its inventory) as a tree,
 * descending into the Kustomizations it applied and into the objects of the HelmReleases it applied (read from
 * their Helm release storage).
 */
@Command(mixinStandardHelpOptions = true)
public final class TreeCommand extends ClusterCommand {

    /** Kinds a Helm manifest may hold that live outside namespaces (Helm installs them without one). */
    private static final Set<String> CLUSTER_SCOPED = Set.of("Namespace", "CustomResourceDefinition", "ClusterRole",
            "ClusterRoleBinding", "PersistentVolume", "StorageClass", "PriorityClass", "IngressClass", "RuntimeClass",
            "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", "APIService", "PodSecurityPolicy");

    @Parameters(index = "0", paramLabel = "<name>", description = "Name of the Kustomization.")
    String name;

    @Option(names = "--compact", description = "Show only Flux objects.")
    boolean compact;

    @Mixin
    OutputOptions output = new OutputOptions();

    /** One object of the tree with what it manages. */
    record Node(String apiVersion, ObjectRef ref, List<Node> children) {
        String label() {
            return ref.namespace() == null || ref.namespace().isEmpty()
                    ? ref.kind() + "/" + ref.name()
                    : ref.kind() + "/" + ref.namespace() + "/" + ref.name();
        }

        Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("resource", Map.of("kind", ref.kind(), "name", ref.name(), "namespace", ref.namespace() == null ? "" : ref.namespace()));
            if (!children.isEmpty()) {
                map.put("resources", children.stream().map(Node::toMap).toList());
            }
            return map;
        }
    }

    @Override
    public Integer call() {
        KubernetesClient client = kube.client();
        GenericKubernetesResource root = FluxObjects.require(client, FluxKind.KUSTOMIZATION, kube.namespace(), name);
        Node tree = new Node(FluxKind.KUSTOMIZATION.apiVersion(), new ObjectRef(FluxKind.KUSTOMIZATION.group(), "Kustomization",
                kube.namespace(), name), children(client, root, FluxKind.KUSTOMIZATION, new HashSet<>(Set.of(key(FluxKind.KUSTOMIZATION,
                kube.namespace(), name)))));
        String text = output.isSet() ? output.format().render(tree.toMap()) : render(tree);
        print(text);
        return 0;
    }

    private static String key(FluxKind kind, String namespace, String name) {
        return kind.kind() + "/" + namespace + "/" + name;
    }

    private List<Node> children(KubernetesClient client, GenericKubernetesResource owner, FluxKind kind, Set<String> visited) {
        List<Node> nodes = new ArrayList<>();
        for (Map.Entry<ObjectRef, String> entry : managed(client, owner, kind).entrySet()) {
            ObjectRef ref = entry.getKey();
            String apiVersion = entry.getValue();
            List<Node> grandchildren = List.of();
            var childKind = FluxKind.byKind(ref.kind()).filter(k -> k.group().equals(ref.group()));
            if (childKind.isPresent() && (childKind.get() == FluxKind.KUSTOMIZATION || childKind.get() == FluxKind.HELM_RELEASE)
                    && visited.add(key(childKind.get(), ref.namespace(), ref.name()))) {
                GenericKubernetesResource child = FluxObjects.get(client, childKind.get(), ref.namespace(), ref.name());
                if (child != null) {
                    grandchildren = children(client, child, childKind.get(), visited);
                }
            }
            if (compact && childKind.isEmpty()) {
                continue;
            }
            nodes.add(new Node(apiVersion, ref, grandchildren));
        }
        return nodes;
    }

    /** The objects a Kustomization (inventory) or HelmRelease (latest Helm release manifest) manages, with their apiVersion. */
    static Map<ObjectRef, String> managed(KubernetesClient client, GenericKubernetesResource owner, FluxKind kind) {
        Map<ObjectRef, String> refs = new LinkedHashMap<>();
        if (kind == FluxKind.KUSTOMIZATION) {
            Map<String, Object> inventory = FluxObjects.map(FluxObjects.status(owner).get("inventory"));
            if (inventory.get("entries") instanceof List<?> entries) {
                for (Object e : entries) {
                    Map<String, Object> entry = FluxObjects.map(e);
                    ObjectRef ref = ObjectRef.parse(String.valueOf(entry.get("id")));
                    refs.put(ref, ref.apiVersion(String.valueOf(entry.get("v"))));
                }
            }
            return refs;
        }
        // HelmRelease: the manifest of the newest release in Helm's storage
        Map<String, Object> spec = FluxObjects.spec(owner);
        String namespace = owner.getMetadata().getNamespace();
        String target = FluxObjects.string(spec, "targetNamespace");
        String releaseName = FluxObjects.string(spec, "releaseName");
        if (releaseName.isEmpty()) {
            releaseName = target.isEmpty() ? owner.getMetadata().getName() : target + "-" + owner.getMetadata().getName();
        }
        String storage = FluxObjects.string(spec, "storageNamespace");
        if (storage.isEmpty()) {
            storage = target.isEmpty() ? namespace : target;
        }
        String releaseNamespace = target.isEmpty() ? namespace : target;
        Secret newest = null;
        int newestVersion = -1;
        for (Secret s : client.secrets().inNamespace(storage).withLabel("owner", "helm").withLabel("name", releaseName).list().getItems()) {
            int version = Integer.parseInt(s.getMetadata().getLabels().getOrDefault("version", "0"));
            if (version > newestVersion) {
                newest = s;
                newestVersion = version;
            }
        }
        if (newest == null || newest.getData() == null || newest.getData().get("release") == null) {
            return refs;
        }
        try {
            byte[] once = Base64.getDecoder().decode(newest.getData().get("release"));
            byte[] raw = Base64.getDecoder().decode(once);
            byte[] json = raw.length > 2 && raw[0] == (byte) 0x1f && raw[1] == (byte) 0x8b
                    ? new GZIPInputStream(new ByteArrayInputStream(raw)).readAllBytes() : raw;
            Map<String, Object> release = FluxObjects.map(new KubernetesSerialization().unmarshal(
                    new String(json, StandardCharsets.UTF_8), Map.class));
            for (Object doc : YamlReader.readAll(String.valueOf(release.getOrDefault("manifest", "")))) {
                Map<String, Object> object = FluxObjects.map(doc);
                if (object.isEmpty()) {
                    continue;
                }
                String apiVersion = String.valueOf(object.get("apiVersion"));
                String ns = FluxObjects.string(object, "metadata", "namespace");
                String objectKind = String.valueOf(object.get("kind"));
                refs.put(new ObjectRef(ObjectRef.groupOf(apiVersion), objectKind,
                        CLUSTER_SCOPED.contains(objectKind) ? "" : ns.isEmpty() ? releaseNamespace : ns, FluxObjects.string(object, "metadata", "name")), apiVersion);
            }
        } catch (IOException | RuntimeException e) {
            throw new CliException("cannot read the Helm release storage of HelmRelease " + namespace + "/"
                    + owner.getMetadata().getName() + ": " + e.getMessage(), ExitCodes.FAILURE, e);
        }
        return refs;
    }

    /** Draws the tree with flux's characters (├── └── │). */
    static String render(Node root) {
        StringBuilder sb = new StringBuilder(root.label()).append('\n');
        draw(sb, root.children(), "");
        return sb.toString();
    }

    private static void draw(StringBuilder sb, List<Node> nodes, String prefix) {
        for (int i = 0; i < nodes.size(); i++) {
            boolean last = i == nodes.size() - 1;
            Node node = nodes.get(i);
            sb.append(prefix).append(last ? "└── " : "├── ").append(node.label()).append('\n');
            draw(sb, node.children(), prefix + (last ? "    " : "│   "));
        }
    }
}
