package io.currents.runtime.apply;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.util.List;

/** Test manifests as YAML text, the way users write them. */
final class Manifests {

    private Manifests() {
    }

    static GenericKubernetesResource yaml(String text) {
        return Serialization.unmarshal(text, GenericKubernetesResource.class);
    }

    static GenericKubernetesResource configMap(String namespace, String name, String key, String value) {
        return yaml("""
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: %s
                  namespace: %s
                data:
                  %s: "%s"
                """.formatted(name, namespace, key, value));
    }

    static GenericKubernetesResource deployment(String namespace, String name, int replicas) {
        return yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                  namespace: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: %s}
                  template:
                    metadata:
                      labels: {app: %s}
                    spec:
                      containers:
                        - name: app
                          image: busybox:1.36
                """.formatted(name, namespace, replicas, name, name));
    }

    static List<GenericKubernetesResource> list(GenericKubernetesResource... objects) {
        return List.of(objects);
    }
}
