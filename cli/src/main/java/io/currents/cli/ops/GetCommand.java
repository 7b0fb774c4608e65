package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.OutputOptions;
import io.currents.cli.output.Progress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** {@code currents get <kind>}: the status of Flux objects as flux prints it (name, revision, suspended, ready, message). */
@Command(mixinStandardHelpOptions = true)
public final class GetCommand extends ClusterCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "<name>", description = "Only the object with this name.")
    String name;

    @Option(names = {"-A", "--all-namespaces"}, description = "List the requested objects across all namespaces.")
    boolean allNamespaces;

    @Option(names = {"-w", "--watch"}, description = "After listing, watch for changes and print each change.")
    boolean watch;

    @Option(names = "--no-header", description = "Skip the header when printing the results.")
    boolean noHeader;

    @Option(names = "--status-selector", paramLabel = "<type=status>",
            description = "Only objects whose condition has that status, e.g. ready=false.")
    String statusSelector;

    @Option(names = {"-l", "--label-selector"}, paramLabel = "<selector>",
            description = "Only objects matching this label selector, e.g. -l key1=value1,key2!=value2.")
    String labelSelector;

    @Mixin
    OutputOptions output = new OutputOptions();

    @Option(names = "--timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "With --watch, stop watching after this long (default: until interrupted).")
    Duration timeout;

    private final List<FluxKind> kinds;
    private final boolean all;

    /** @param all print each kind's table with kind-prefixed names, skipping kinds that are absent or empty (get all) */
    public GetCommand(List<FluxKind> kinds, boolean all) {
        this.kinds = kinds;
        this.all = all;
    }

    @Override
    public Integer call() {
        PrintWriter out = out();
        Progress progress = newProgress();
        String[] selector = parseSelector();
        if (watch && kinds.size() > 1) {
            throw new CliException("--watch needs a single kind; use it with one of the get subcommands", ExitCodes.USAGE);
        }
        KubernetesClient client = kube.client();
        String namespace = allNamespaces ? null : kube.namespace();
        List<GenericKubernetesResource> printed = new ArrayList<>();
        Map<String, String> printedVersions = new java.util.HashMap<>();
        boolean any = false;
        for (FluxKind kind : kinds) {
            var listed = FluxObjects.list(client, kind, namespace, labelSelector);
            if (listed.isEmpty()) {
                if (!all) {
                    throw new CliException("the " + kind.kind() + " kind is not installed in the cluster; run 'currents install' with the component that owns it");
                }
                continue;
            }
            List<GenericKubernetesResource> items = listed.get().stream()
                    .filter(o -> name == null || name.equals(o.getMetadata().getName()))
                    .filter(o -> selector == null || statusMatches(o, selector[0], selector[1]))
                    .toList();
            if (output.isSet()) {
                printed.addAll(items);
                continue;
            }
            if (items.isEmpty()) {
                if (!all && !watch) {
                    String where = allNamespaces ? "any" : "\"" + kube.namespace() + "\"";
                    if (name != null) {
                        progress.failure(kind.kind() + " object '" + name + "' not found in " + where + " namespace");
                    } else {
                        progress.failure("no " + kind.kind() + " objects found in " + where + " namespace");
                    }
                }
                continue;
            }
            any = true;
            items.forEach(o -> printedVersions.put(o.getMetadata().getNamespace() + "/" + o.getMetadata().getName(),
                    o.getMetadata().getResourceVersion()));
            List<List<String>> rows = items.stream().map(o -> row(kind, o, allNamespaces, all)).toList();
            out.print(noHeader ? Console.rows(headers(kind, allNamespaces), rows) : Console.table(headers(kind, allNamespaces), rows));
            if (all) {
                out.println();
            }
            out.flush();
        }
        if (output.isSet()) {
            output.print(out, printed.stream().map(ObjectMaps::toMap).toList());
        }
        if (watch) {
            watch(out, client, kinds.get(0), namespace, selector, any, printedVersions);
        }
        return 0;
    }

    private String[] parseSelector() {
        if (statusSelector == null || statusSelector.isBlank()) {
            return null;
        }
        String[] parts = statusSelector.split("=", 2);
        if (parts.length != 2) {
            throw new CliException("expected status selector in type=status format, but found: " + statusSelector, ExitCodes.USAGE);
        }
        return parts;
    }

    private void watch(PrintWriter out, KubernetesClient client, FluxKind kind, String namespace, String[] selector, boolean headerPrinted,
                       Map<String, String> printedVersions) {
        Watching.Rows rows = new Watching.Rows(out, headers(kind, allNamespaces), headerPrinted || noHeader);
        var resources = client.genericKubernetesResources(kind.context());
        var scope = namespace == null ? resources.inAnyNamespace() : resources.inNamespace(namespace);
        var watchable = labelSelector == null || labelSelector.isBlank() ? scope : scope.withLabelSelector(labelSelector);
        Watching.<GenericKubernetesResource>until(watchable::watch, (action, o) -> {
            String key = o.getMetadata().getNamespace() + "/" + o.getMetadata().getName();
            // the watch starts with the objects already listed; print only what changed since
            if (o.getMetadata().getResourceVersion() != null
                    && o.getMetadata().getResourceVersion().equals(printedVersions.get(key))) {
                return;
            }
            if (action == Watcher.Action.BOOKMARK || (name != null && !name.equals(o.getMetadata().getName()))
                    || (selector != null && !statusMatches(o, selector[0], selector[1]))) {
                return;
            }
            rows.print(row(kind, o, allNamespaces, false));
        }, timeout);
    }

    static boolean statusMatches(GenericKubernetesResource object, String type, String status) {
        if (FluxObjects.status(object).get("conditions") instanceof List<?> conditions) {
            for (Object c : conditions) {
                Map<String, Object> condition = FluxObjects.map(c);
                if (type.equalsIgnoreCase(String.valueOf(condition.get("type")))) {
                    return status.equalsIgnoreCase(String.valueOf(condition.get("status")));
                }
            }
        }
        // without a Ready condition the READY column says False, and the selector agrees with it
        return type.equalsIgnoreCase("ready") && status.equalsIgnoreCase("false");
    }

    static List<String> headers(FluxKind kind, boolean withNamespace) {
        List<String> headers = new ArrayList<>();
        if (withNamespace) {
            headers.add("Namespace");
        }
        headers.add("Name");
        headers.addAll(switch (kind.columns()) {
            case REVISION -> List.of("Revision", "Suspended", "Ready", "Message");
            case SUSPENDABLE, STATIC_SUSPENDABLE -> List.of("Suspended", "Ready", "Message");
            case STATIC -> List.of("Ready", "Message");
            case LAST_SCAN -> List.of("Last scan", "Suspended", "Ready", "Message");
            case LATEST_IMAGE -> List.of("Image", "Tag", "Ready", "Message");
            case LAST_RUN -> List.of("Last run", "Suspended", "Ready", "Message");
            case EXTERNAL -> List.of("Revision", "Source", "Ready", "Message");
            case GENERATOR -> List.of("Suspended", "Ready", "Message");
        });
        return headers;
    }

    static List<String> row(FluxKind kind, GenericKubernetesResource o, boolean withNamespace, boolean withKind) {
        List<String> row = new ArrayList<>();
        if (withNamespace) {
            row.add(o.getMetadata().getNamespace());
        }
        row.add(withKind ? kind.kind().toLowerCase(Locale.ROOT) + "/" + o.getMetadata().getName() : o.getMetadata().getName());
        String[] ready = FluxObjects.readyAndMessage(o);
        if (!kind.reconciled()) {
            // v1beta3 alerts and providers have no status: flux reports them as ready once they exist
            ready = new String[] {"True", kind.kind() + " is Ready"};
        }
        String suspended = FluxObjects.title(FluxObjects.suspended(o));
        Map<String, Object> status = FluxObjects.status(o);
        switch (kind.columns()) {
            case REVISION -> row.addAll(List.of(FluxObjects.revision(kind, o), suspended));
            case SUSPENDABLE, STATIC_SUSPENDABLE -> row.add(suspended);
            case STATIC -> {
            }
            case LAST_SCAN -> row.addAll(List.of(FluxObjects.string(status, "lastScanResult", "scanTime"), suspended));
            case LATEST_IMAGE -> row.addAll(List.of(FluxObjects.string(status, "latestRef", "name"),
                    FluxObjects.string(status, "latestRef", "tag")));
            case LAST_RUN -> row.addAll(List.of(FluxObjects.string(status, "lastAutomationRunTime"), suspended));
            case EXTERNAL -> row.addAll(List.of(FluxObjects.revision(kind, o), FluxObjects.producer(o)));
            case GENERATOR -> row.add(FluxObjects.title(FluxObjects.reconcileDisabled(o)));
        }
        row.add(ready[0]);
        row.add(ready[1]);
        return row;
    }
}
