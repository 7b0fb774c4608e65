package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code currents suspend|resume <kind> <name>|--all}: flips {@code spec.suspend}. Resuming also requests a
 * reconcile and, like flux, waits until the object is Ready again (unless {@code --wait=false}).
 */
@Command(mixinStandardHelpOptions = true)
public final class SuspendCommand extends ClusterCommand {

    @Parameters(arity = "0..*", paramLabel = "<name>", description = "Names of the objects.")
    List<String> names = new ArrayList<>();

    @Option(names = "--all", description = "All objects of this kind in the namespace.")
    boolean all;

    @Option(names = "--wait", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "When resuming, wait for the reconciliation to finish (default: ${DEFAULT-VALUE}).")
    boolean waitForReady = true;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait when resuming (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    @Option(names = "--reason", description = "Why the object is suspended; recorded with who suspended it (shown by explain).")
    String reason;

    private final FluxKind kind;
    private final boolean suspend;

    public SuspendCommand(FluxKind kind, boolean suspend) {
        this.kind = kind;
        this.suspend = suspend;
    }

    @Override
    public Integer call() {
        Progress progress = newProgress();
        String namespace = kube.namespace();
        List<String> targets = new ArrayList<>(names);
        if (all) {
            FluxObjects.list(kube.client(), kind, namespace).orElse(List.of())
                    .forEach(o -> targets.add(o.getMetadata().getName()));
            if (targets.isEmpty()) {
                progress.failure("no " + kind.kind() + " objects found in " + namespace + " namespace");
                return 0;
            }
        } else if (targets.isEmpty()) {
            throw new CliException("name of the " + kind.humanKind() + " to " + (suspend ? "suspend" : "resume")
                    + " is required (or pass --all)", ExitCodes.USAGE);
        }
        ReconcileRequests requests = new ReconcileRequests(kube.client(), progress, Clock.systemUTC());
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String name : targets) {
            FluxObjects.require(kube.client(), kind, namespace, name);
            progress.action((suspend ? "suspending " : "resuming ") + kind.humanKind() + " " + name + " in " + namespace + " namespace");
            String token = requests.setSuspend(kind, namespace, name, suspend, suspend ? suspendedBy() : null, suspend ? reason : null);
            progress.success(kind.humanKind() + (suspend ? " suspended" : " resumed"));
            tokens.put(name, token);
        }
        if (!suspend && waitForReady && kind.reconciled()) {
            Duration limit = timeout;
            for (Map.Entry<String, String> e : tokens.entrySet()) {
                GenericKubernetesResource ignored = requests.awaitReady(kind, namespace, e.getKey(), e.getValue(), limit);
            }
        }
        return 0;
    }

    /** The local user and the kubeconfig context: who a teammate should ask. */
    private String suspendedBy() {
        String context = kube.client().getConfiguration().getCurrentContext() == null ? null
                : kube.client().getConfiguration().getCurrentContext().getName();
        return System.getProperty("user.name") + (context == null ? "" : " (context " + context + ")");
    }
}
