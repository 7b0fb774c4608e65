package io.currents.helm.controller;

import io.currents.runtime.cel.CelExpression;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelOptions;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.currents.api.helm.v2.HelmReleaseSpec;
import io.currents.api.meta.CustomHealthCheck;
import io.currents.runtime.health.HealthCheck;
import io.currents.runtime.health.Kstatus;
import io.currents.runtime.health.ObjectStatus;
import io.currents.runtime.health.Status;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Flux's {@code poller} wait strategy (its default): after Helm applied the release, the controller polls the release's
 * objects until each is Current by kstatus, or by the {@code spec.healthCheckExprs} CEL expressions of its kind
 * ({@code inProgress}, then {@code failed}, then {@code current}); Jobs are waited for unless {@code disableWaitForJobs}.
 * helm-java only offers Helm v3's own wait ({@code legacy}), which does not wait for Jobs.
 */
final class ReleaseWait {

    static final String POLLER = "poller";
    static final String LEGACY = "legacy";
    private static final String[] VARIABLES = {"apiVersion", "kind", "metadata", "spec", "status"};
    private static final CelOptions OPTIONS = CelOptions.current().enableHeterogeneousNumericComparisons(true)
            .enableOptionalSyntax(true).comprehensionMaxIterations(100_000).build();
    private static final CelCompiler COMPILER;
    private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().setOptions(OPTIONS)
            .addLibraries(CelExtensions.strings(), CelExtensions.optional()).build();

    static {
        var builder = CelCompilerFactory.standardCelCompilerBuilder().setOptions(OPTIONS)
                .setStandardMacros(CelStandardMacro.STANDARD_MACROS).addLibraries(CelExtensions.strings(), CelExtensions.optional());
        for (String name : VARIABLES) {
            builder.addVar(name, SimpleType.DYN);
        }
        COMPILER = builder.build();
    }

    /** A compiled {@code healthCheckExprs} entry. */
    private record Expressions(String group, String kind, CelRuntime.Program current, CelRuntime.Program inProgress,
                               CelRuntime.Program failed) {
    }

    private final KubernetesClient client;
    private final List<Expressions> expressions;

    private ReleaseWait(KubernetesClient client, List<Expressions> expressions) {
        this.client = client;
        this.expressions = expressions;
    }

    /** Whether the spec's wait strategy is the poller (Flux's default) rather than Helm's legacy wait. */
    static boolean poller(HelmReleaseSpec spec) {
        return spec.getWaitStrategy() == null || spec.getWaitStrategy().getName() == null
                || !LEGACY.equals(spec.getWaitStrategy().getName());
    }

    /** Compiles the spec's health check expressions; a bad one is named in the exception. */
    static ReleaseWait of(KubernetesClient client, HelmReleaseSpec spec) throws HelmActions.HelmFailure {
        List<Expressions> compiled = new ArrayList<>();
        for (CustomHealthCheck check : spec.getHealthCheckExprs() == null ? List.<CustomHealthCheck>of() : spec.getHealthCheckExprs()) {
            String apiVersion = check.getApiVersion() == null ? "" : check.getApiVersion();
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            compiled.add(new Expressions(group, check.getKind(), compile(check.getCurrent()), compile(check.getInProgress()),
                    compile(check.getFailed())));
        }
        return new ReleaseWait(client, compiled);
    }

    private static CelRuntime.Program compile(String text) throws HelmActions.HelmFailure {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            CelAbstractSyntaxTree ast = COMPILER.compile(text).getAst();
            return RUNTIME.createProgram(ast);
        } catch (CelValidationException | CelEvaluationException e) {
            throw new HelmActions.HelmFailure("failed to parse the healthCheckExprs expression '" + text + "': " + e.getMessage(), e);
        }
    }

    /**
     * Waits up to {@code timeout} for the objects of {@code release} (Jobs only when {@code jobs}); returns normally when
     * all are Current, else fails with Flux's words for what is not ready.
     */
    void await(StoredRelease release, boolean jobs, Duration timeout) throws HelmActions.HelmFailure {
        List<GenericKubernetesResource> objects;
        try {
            objects = new ArrayList<>(DriftDetector.objects(release));
        } catch (java.io.IOException e) {
            throw new HelmActions.HelmFailure("cannot read the manifest of the release: " + e.getMessage(), e);
        }
        if (!jobs) {
            objects.removeIf(o -> "Job".equals(o.getKind()) && o.getApiVersion() != null && o.getApiVersion().startsWith("batch/"));
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, ObjectStatus> statuses = new LinkedHashMap<>();
            for (GenericKubernetesResource object : objects) {
                statuses.put(HealthCheck.subject(object), status(object));
            }
            if (statuses.values().stream().allMatch(ObjectStatus::isCurrent)) {
                return;
            }
            boolean failed = statuses.values().stream().anyMatch(s -> s.status() == Status.FAILED);
            if (failed || System.nanoTime() >= deadline) {
                List<String> parts = new ArrayList<>();
                statuses.forEach((subject, s) -> {
                    if (!s.isCurrent() && (!failed || s.status() == Status.FAILED)) {
                        parts.add(subject + " status: '" + s.status() + "'" + (s.message() == null || s.message().isEmpty() ? "" : ": " + s.message()));
                    }
                });
                throw new HelmActions.HelmFailure((failed ? "failed early due to stalled resources: [" : "timeout waiting for: [")
                        + String.join(", ", parts) + "]", null);
            }
            try {
                Thread.sleep(Math.max(1, Math.min(1000, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new HelmActions.HelmFailure("interrupted while waiting for the release's objects", e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private ObjectStatus status(GenericKubernetesResource object) {
        GenericKubernetesResource live;
        try {
            live = client.genericKubernetesResources(object.getApiVersion(), object.getKind())
                    .inNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName()).get();
        } catch (KubernetesClientException e) {
            return new ObjectStatus(Status.UNKNOWN, e.getStatus() != null && e.getStatus().getMessage() != null
                    ? e.getStatus().getMessage() : e.getMessage());
        }
        if (live == null) {
            return new ObjectStatus(Status.NOT_FOUND, "Resource not found");
        }
        Map<String, Object> map = Serialization.jsonMapper().convertValue(live, Map.class);
        Expressions custom = expressionsFor(object);
        if (custom != null) {
            return evaluate(custom, map);
        }
        if ("Job".equals(object.getKind()) && object.getApiVersion().startsWith("batch/")) {
            return job(map);
        }
        return Kstatus.compute(map);
    }

    /**
     * A Job is ready when it completed (kstatus alone calls a started Job Current; waiting for Jobs, as Helm's, means
     * waiting for their completion), failed when it failed.
     */
    @SuppressWarnings("unchecked")
    private static ObjectStatus job(Map<String, Object> job) {
        Object status = job.get("status");
        Object conditions = status instanceof Map<?, ?> m ? m.get("conditions") : null;
        if (conditions instanceof List<?> list) {
            for (Object c : list) {
                if (c instanceof Map<?, ?> condition && "True".equals(condition.get("status"))) {
                    if ("Complete".equals(condition.get("type"))) {
                        return ObjectStatus.current("Job Completed");
                    }
                    if ("Failed".equals(condition.get("type"))) {
                        return ObjectStatus.failed("Job Failed: " + condition.get("message"));
                    }
                }
            }
        }
        return ObjectStatus.inProgress("Job not complete");
    }

    /** The entry for the object's kind, else its group's kind-less entry, as Flux picks them. */
    private Expressions expressionsFor(GenericKubernetesResource object) {
        String apiVersion = object.getApiVersion() == null ? "" : object.getApiVersion();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        Expressions groupOnly = null;
        for (Expressions e : expressions) {
            if (!e.group().equals(group)) {
                continue;
            }
            if (object.getKind().equals(e.kind())) {
                return e;
            }
            if (e.kind() == null || e.kind().isEmpty()) {
                groupOnly = e;
            }
        }
        return groupOnly;
    }

    private static ObjectStatus evaluate(Expressions e, Map<String, Object> object) {
        Map<String, Object> activation = new LinkedHashMap<>();
        for (String name : VARIABLES) {
            if (object.containsKey(name)) {
                activation.put(name, CelExpression.normalize(object.get(name)));
            }
        }
        try {
            if (e.inProgress() != null && Boolean.TRUE.equals(e.inProgress().eval(activation))) {
                return ObjectStatus.inProgress("inProgress expression is true");
            }
            if (e.failed() != null && Boolean.TRUE.equals(e.failed().eval(activation))) {
                return ObjectStatus.failed("failed expression is true");
            }
            if (e.current() != null && Boolean.TRUE.equals(e.current().eval(activation))) {
                return ObjectStatus.current("current expression is true");
            }
            return ObjectStatus.inProgress("no expression is true yet");
        } catch (CelEvaluationException | RuntimeException ex) {
            // A field not there yet (e.g. no status): still in progress, as Flux treats it.
            return ObjectStatus.inProgress("expression not evaluable yet: " + ex.getMessage());
        }
    }

}
