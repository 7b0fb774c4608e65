package io.currents.ui;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why an object is not ready: the chain from it to the root cause, following what its controller waits for — a
 * missing or not-ready source, a dependency (dependsOn) not ready — down to the first object whose own condition
 * explains the failure (a fetch error, a build error with the file and line the controller reports, a health check
 * failing on named objects).
 */
@ApplicationScoped
public class WhyChain {

    /** Health check messages name the objects they waited for: "Deployment/ns/name status: 'InProgress'". */
    private static final Pattern UNHEALTHY = Pattern.compile("([A-Za-z]+)/([a-z0-9.-]+)/([a-z0-9.-]+) status: '([^']*)'");

    @Inject
    ObjectStore store;

    /** One link of the chain. */
    public record Step(String what, String href, String state, String reason, String message, boolean rootCause) {
    }

    public List<Step> explain(String kind, String namespace, String name) {
        List<Step> steps = new ArrayList<>();
        follow(new References.Ref(kind, namespace, name), steps, new HashSet<>());
        if (!steps.isEmpty()) {
            Step last = steps.remove(steps.size() - 1);
            steps.add(new Step(last.what(), last.href(), last.state(), last.reason(), last.message(), !"Ready".equals(last.state())));
        }
        return steps;
    }

    private void follow(References.Ref ref, List<Step> steps, Set<References.Ref> seen) {
        if (!seen.add(ref)) {
            steps.add(new Step(ref.toString(), ref.href(), "Cycle", "DependencyCycle", "already on this chain: the references form a cycle", false));
            return;
        }
        Optional<GenericKubernetesResource> found = store.object(ref.kind(), ref.namespace(), ref.name());
        Optional<FluxKind> kind = store.kind(ref.kind());
        if (found.isEmpty() || kind.isEmpty()) {
            steps.add(new Step(ref.toString(), null, "Missing", "NotFound", ref + " does not exist", false));
            return;
        }
        GenericKubernetesResource object = found.get();
        ObjectSummary summary = ObjectSummary.of(kind.get(), object);
        steps.add(new Step(ref.toString(), ref.href(), summary.status().label() + (summary.suspended() ? ", suspended" : ""),
                summary.reason(), summary.message(), false));
        if (summary.status() == ObjectSummary.Status.READY && !summary.suspended()) {
            return;
        }
        if (summary.suspended()) {
            steps.add(new Step(ref.toString(), ref.href(), "Suspended", "Suspended",
                    "spec.suspend is true: its controller does not reconcile it until it is resumed", false));
            return;
        }
        Optional<References.Ref> source = References.source(store, kind.get(), object);
        if (source.isPresent() && !ready(source.get())) {
            follow(source.get(), steps, seen);
            return;
        }
        for (References.Ref dependency : References.dependsOn(kind.get(), object)) {
            if (!ready(dependency)) {
                follow(dependency, steps, seen);
                return;
            }
        }
        String message = summary.message() == null ? "" : summary.message();
        Matcher unhealthy = UNHEALTHY.matcher(message);
        while (unhealthy.find()) {
            References.Ref target = new References.Ref(unhealthy.group(1), unhealthy.group(2), unhealthy.group(3));
            steps.add(new Step(target.toString(), null, unhealthy.group(4), "HealthCheckFailed",
                    "health check on " + target + " reports " + unhealthy.group(4), false));
        }
    }

    private boolean ready(References.Ref ref) {
        return store.summary(ref.kind(), ref.namespace(), ref.name())
                .map(s -> s.status() == ObjectSummary.Status.READY && !s.suspended()).orElse(false);
    }
}
