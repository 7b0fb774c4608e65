package io.currents.cli.plan;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one revision makes the controllers apply: per Kustomization and HelmRelease (in the order they were found,
 * parents first), the objects it applies; plus what could not be planned and what failed to render.
 */
final class Graph {

    /** A Kustomization or HelmRelease that applies objects. */
    record Applier(String kind, String namespace, String name) {
        String title() {
            return kind + " " + namespace + "/" + name;
        }
    }

    /** The objects one applier applies; {@code prune} says whether objects it stops applying are deleted. */
    record Group(Applier applier, String origin, boolean prune, List<GenericKubernetesResource> objects) {
    }

    /** An applier whose objects cannot be known from this repository, and why. */
    record NotPlanned(Applier applier, String reason) {
    }

    /** An applier whose build failed at this revision. */
    record Failure(Applier applier, String message) {
    }

    final String revision;
    final Map<Applier, Group> groups = new LinkedHashMap<>();
    final List<NotPlanned> notPlanned = new ArrayList<>();
    final List<Failure> failures = new ArrayList<>();
    /** What was planned with less than the controller would have (e.g. substituteFrom not read offline). */
    final List<NotPlanned> partial = new ArrayList<>();

    Graph(String revision) {
        this.revision = revision;
    }
}
