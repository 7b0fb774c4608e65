package io.currents.kustomize;

import java.util.List;
import java.util.Map;

/** The IAMPolicyGenerator built-in: a GKE workload-identity ServiceAccount for a Kubernetes service account. */
final class IamPolicyGenerator implements BuiltinPlugin.Generator {
    private static final GoStruct.Struct KUBERNETES_SERVICE = new GoStruct.Struct("types.KubernetesService")
            .field("name", GoStruct.STRING).field("namespace", GoStruct.STRING);
    private static final GoStruct.Struct SERVICE_ACCOUNT = new GoStruct.Struct("types.ServiceAccount")
            .field("name", GoStruct.STRING).field("projectId", GoStruct.STRING);
    static final GoStruct.Struct SCHEMA = new GoStruct.Struct("builtins.IAMPolicyGeneratorPlugin")
            .field("cloud", GoStruct.named("types.Cloud", 's'))
            .field("kubernetesService", KUBERNETES_SERVICE)
            .field("serviceAccount", SERVICE_ACCOUNT);

    private Map<String, Object> config;

    @Override
    public void configure(BuiltinPlugin.PluginHelpers h, Map<String, Object> c) {
        config = BuiltinPlugin.decode(c, SCHEMA);
    }

    @Override
    public List<Resource> generate() {
        String cloud = BuiltinPlugin.str(config, "cloud");
        if (!cloud.equals("gke")) {
            throw new KustomizeException("cloud provider " + cloud + " not supported yet");
        }
        Map<String, Object> ks = Nodes.asMap(config.get("kubernetesService"));
        Map<String, Object> sa = Nodes.asMap(config.get("serviceAccount"));
        // kustomize writes the object as YAML text and parses it, so values take YAML's types
        String text = "\napiVersion: v1\nkind: ServiceAccount\nmetadata:\n  annotations:\n"
                + "    iam.gke.io/gcp-service-account: " + BuiltinPlugin.str(sa, "name") + "@"
                + BuiltinPlugin.str(sa, "projectId") + ".iam.gserviceaccount.com\n  name: " + BuiltinPlugin.str(ks, "name") + "\n";
        String ns = BuiltinPlugin.str(ks, "namespace");
        if (!ns.isEmpty()) {
            text += "\n  namespace: " + ns;
        }
        return List.of(new Resource(Nodes.asMap(io.currents.kustomize.yaml.YamlReader.read(text, false))));
    }
}
