package io.currents.runtime.manifests;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Fills the defaults that server-side apply needs as list keys before the API server has defaulted them:
 * {@code protocol: TCP} on Service ports and container ports (as Flux's ssa normalization does). Without it
 * kube-apiserver refuses the apply ("associative list with keys has an element that omits key field protocol").
 */
public final class ObjectDefaults {

    private static final Set<String> WORKLOADS = Set.of("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job",
            "ReplicationController");

    private ObjectDefaults() {
    }

    @SuppressWarnings("unchecked")
    public static void apply(Map<String, Object> object) {
        Object kind = object.get("kind");
        if (!(object.get("spec") instanceof Map<?, ?> rawSpec)) {
            return;
        }
        Map<String, Object> spec = (Map<String, Object>) rawSpec;
        if ("Service".equals(kind)) {
            defaultProtocols(spec.get("ports"));
        } else if ("Pod".equals(kind)) {
            podSpec(spec);
        } else if (WORKLOADS.contains(kind)) {
            template(spec.get("template"));
        } else if ("CronJob".equals(kind) && spec.get("jobTemplate") instanceof Map<?, ?> jobTemplate
                && jobTemplate.get("spec") instanceof Map<?, ?> jobSpec) {
            template(jobSpec.get("template"));
        }
    }

    @SuppressWarnings("unchecked")
    private static void template(Object template) {
        if (template instanceof Map<?, ?> t && t.get("spec") instanceof Map<?, ?> podSpec) {
            podSpec((Map<String, Object>) podSpec);
        }
    }

    private static void podSpec(Map<String, Object> podSpec) {
        for (String field : List.of("containers", "initContainers")) {
            if (podSpec.get(field) instanceof List<?> containers) {
                for (Object container : containers) {
                    if (container instanceof Map<?, ?> c) {
                        defaultProtocols(c.get("ports"));
                    }
                }
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void defaultProtocols(Object ports) {
        if (ports instanceof List<?> list) {
            for (Object port : list) {
                if (port instanceof Map<?, ?> p && p.get("protocol") == null) {
                    ((Map<String, Object>) p).put("protocol", "TCP");
                }
            }
        }
    }
}
