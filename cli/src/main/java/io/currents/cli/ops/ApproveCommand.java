package io.currents.cli.ops;

import io.currents.api.meta.FluxMeta;
import io.currents.cli.output.CliException;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.runtime.apply.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;

/**
 * {@code currents approve prune kustomization <name>}: lets the prune the deletion guard refused go ahead, for the
 * blocked revision only, by writing {@code currents.io/prune-approved-revision} together with a reconcile request,
 * then waits for the reconcile like {@code reconcile} does.
 */
@Command(mixinStandardHelpOptions = true)
public final class ApproveCommand extends ClusterCommand {

    /** The annotation kustomize-controller's deletion guard reads. */
    public static final String APPROVED_REVISION = "currents.io/prune-approved-revision";

    @Parameters(index = "0", paramLabel = "<name>", description = "Name of the Kustomization.")
    String name;

    @Option(names = "--revision", paramLabel = "<revision>",
            description = "Approve this revision instead of the one in status.blockedPrune (e.g. before it is reconciled).")
    String revision;

    @Option(names = "--wait", arity = "0..1", defaultValue = "true", fallbackValue = "true",
            description = "Wait for the reconciliation that prunes (default: ${DEFAULT-VALUE}).")
    boolean waitForReady = true;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "5m", converter = DurationConverter.class,
            description = "How long to wait (default: ${DEFAULT-VALUE}).")
    Duration timeout;

    /** Adds {@code approve prune kustomization} to the root command. */
    public static void register(CommandLine root) {
        CommandLine approve = OpsCommands.group("Approve an action a controller refused to take on its own.");
        CommandLine prune = OpsCommands.group("Approve a prune the deletion guard blocked.");
        prune.addSubcommand("kustomization", OpsCommands.command(new ApproveCommand(),
                "Let the blocked prune of a Kustomization's revision go ahead."), "ks", "kustomizations");
        approve.addSubcommand("prune", prune);
        root.addSubcommand("approve", approve);
    }

    @Override
    public Integer call() {
        Progress progress = newProgress();
        String namespace = kube.namespace();
        FluxKind kind = FluxKind.KUSTOMIZATION;
        GenericKubernetesResource object = FluxObjects.require(kube.client(), kind, namespace, name);
        Map<String, Object> status = FluxObjects.status(object);
        String blocked = FluxObjects.string(status, "blockedPrune", "revision");
        String approved = revision != null && !revision.isBlank() ? revision : blocked;
        if (approved == null || approved.isBlank()) {
            throw new CliException("Kustomization " + namespace + "/" + name + " has no blocked prune (status.blockedPrune is empty);"
                    + " pass --revision to approve a revision ahead", ExitCodes.USAGE);
        }
        if (approved.equals(blocked) && FluxObjects.map(status.get("blockedPrune")).get("entries") instanceof List<?> entries) {
            progress.warning("approving the deletion of " + entries.size() + " object(s) at revision " + approved);
            for (Object entry : entries) {
                String id = String.valueOf(FluxObjects.map(entry).get("id"));
                String subject;
                try {
                    subject = ObjectRef.parse(id).subject();
                } catch (IllegalArgumentException e) {
                    subject = id;
                }
                progress.warning("  " + subject);
            }
        }
        if (FluxObjects.suspended(object)) {
            throw new CliException("Kustomization " + namespace + "/" + name + " is suspended; run 'currents resume kustomization "
                    + name + "' after approving");
        }
        progress.action("annotating Kustomization " + name + " in " + namespace + " namespace with " + APPROVED_REVISION + "=" + approved);
        String token = DateTimeFormatter.ISO_INSTANT.format(Instant.now(Clock.systemUTC()));
        Map<String, Object> body = Map.of("metadata", Map.of("annotations",
                Map.of(APPROVED_REVISION, approved, FluxMeta.RECONCILE_REQUEST_ANNOTATION, token)));
        kube.client().genericKubernetesResources(kind.context()).inNamespace(namespace).withName(name)
                .patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(body));
        progress.success("prune approved for revision " + approved);
        if (waitForReady) {
            new ReconcileRequests(kube.client(), progress, Clock.systemUTC()).awaitReady(kind, namespace, name, token, timeout);
        }
        return 0;
    }
}
