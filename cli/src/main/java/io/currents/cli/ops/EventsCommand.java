package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * {@code currents events [--for Kind/name] [-A] [--watch]}: the Kubernetes events of Flux objects with flux's
 * columns (LAST SEEN, TYPE, REASON, OBJECT, MESSAGE). With {@code --for} on a Kustomization or HelmRelease the
 * events of its source are shown too.
 */
@Command(mixinStandardHelpOptions = true)
public final class EventsCommand extends ClusterCommand {

    @Option(names = "--for", paramLabel = "<Kind/name>", description = "Only events of this object (and of its source).")
    String forObject;

    @Option(names = {"-A", "--all-namespaces"}, description = "Events of all namespaces.")
    boolean allNamespaces;

    @Option(names = {"-w", "--watch"}, description = "After listing, print new events as they come.")
    boolean watch;

    @Option(names = "--timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "With --watch, stop after this long (default: until interrupted).")
    Duration timeout;

    @Option(names = "--types", split = ",", paramLabel = "<type>",
            description = "Only events of these types (Normal, Warning), comma-separated.")
    List<String> types;

    Clock clock = Clock.systemUTC();

    /** The objects whose events are shown, as Kind/namespace/name; null for all Flux objects. */
    record Filter(Set<String> objects) {
        boolean matches(Event e) {
            var o = e.getInvolvedObject();
            if (o == null || o.getKind() == null) {
                return false;
            }
            if (objects == null) {
                return FluxKind.byKind(o.getKind()).isPresent()
                        && (o.getApiVersion() == null || o.getApiVersion().contains("toolkit.fluxcd.io"));
            }
            return objects.contains(o.getKind() + "/" + o.getNamespace() + "/" + o.getName());
        }
    }

    @Override
    public Integer call() {
        PrintWriter out = out();
        Progress progress = newProgress();
        KubernetesClient client = kube.client();
        Filter filter = filter(client);
        var events = allNamespaces ? client.v1().events().inAnyNamespace() : client.v1().events().inNamespace(kube.namespace());
        java.util.function.Predicate<Event> selected = e -> filter.matches(e) && typeMatches(e);
        var listed = events.list();
        List<Event> items = new ArrayList<>(listed.getItems().stream().filter(selected).toList());
        items.sort(Comparator.comparing(EventsCommand::lastSeen));
        boolean headerPrinted = false;
        if (items.isEmpty() && !watch) {
            progress.failure("no events found in " + (allNamespaces ? "any" : "\"" + kube.namespace() + "\"") + " namespace");
        } else if (!items.isEmpty()) {
            out.print(Console.table(headers(allNamespaces), items.stream().map(e -> row(e, allNamespaces, clock)).toList()));
            out.flush();
            headerPrinted = true;
        }
        if (watch) {
            Watching.Rows rows = new Watching.Rows(out, headers(allNamespaces), headerPrinted);
            // from the listing's version: what the table printed is not repeated, and nothing created since is missed
            String listedAt = listed.getMetadata().getResourceVersion();
            Watching.<Event>until(w -> events.watch(listedAt, w), (action, e) -> {
                if ((action == Watcher.Action.ADDED || action == Watcher.Action.MODIFIED) && selected.test(e)) {
                    rows.print(row(e, allNamespaces, clock));
                }
            }, timeout);
        }
        return 0;
    }

    private boolean typeMatches(Event e) {
        return types == null || types.isEmpty() || types.stream().anyMatch(t -> t.trim().equalsIgnoreCase(e.getType()));
    }

    private Filter filter(KubernetesClient client) {
        if (forObject == null) {
            return new Filter(null);
        }
        String[] parts = forObject.split("/", 2);
        if (parts.length != 2 || parts[0].isBlank() || parts[1].isBlank()) {
            throw new CliException("invalid --for '" + forObject + "'; use <Kind>/<name>, e.g. Kustomization/apps", ExitCodes.USAGE);
        }
        String namespace = kube.namespace();
        Set<String> objects = new java.util.LinkedHashSet<>();
        var kind = FluxKind.byKind(parts[0]);
        String kindName = kind.map(FluxKind::kind).orElse(parts[0]);
        objects.add(kindName + "/" + namespace + "/" + parts[1]);
        if (kind.isPresent() && (kind.get() == FluxKind.KUSTOMIZATION || kind.get() == FluxKind.HELM_RELEASE)) {
            var object = FluxObjects.get(client, kind.get(), namespace, parts[1]);
            if (object != null) {
                ReconcileCommand.SourceRef source = ReconcileCommand.sourceOf(kind.get(), object);
                if (source != null) {
                    objects.add(source.kind().kind() + "/" + source.namespace() + "/" + source.name());
                }
            }
        }
        return new Filter(objects);
    }

    static List<String> headers(boolean allNamespaces) {
        List<String> headers = new ArrayList<>();
        if (allNamespaces) {
            headers.add("Namespace");
        }
        headers.addAll(List.of("Last seen", "Type", "Reason", "Object", "Message"));
        return headers;
    }

    static List<String> row(Event e, boolean allNamespaces, Clock clock) {
        List<String> row = new ArrayList<>();
        if (allNamespaces) {
            row.add(e.getMetadata().getNamespace());
        }
        Instant seen = lastSeen(e);
        row.add(seen.equals(Instant.EPOCH) ? "<unknown>" : age(Duration.between(seen, clock.instant())));
        row.add(e.getType());
        row.add(e.getReason());
        row.add(e.getInvolvedObject().getKind() + "/" + e.getInvolvedObject().getName());
        row.add(e.getMessage() == null ? "" : e.getMessage().strip());
        return row;
    }

    static Instant lastSeen(Event e) {
        for (String t : new String[] {e.getLastTimestamp(), e.getEventTime() == null ? null : e.getEventTime().getTime(),
                e.getFirstTimestamp(), e.getMetadata().getCreationTimestamp()}) {
            if (t != null && !t.isBlank()) {
                try {
                    return Instant.parse(t);
                } catch (RuntimeException ignored) {
                    // try the next timestamp
                }
            }
        }
        return Instant.EPOCH;
    }

    /** kubectl's short age: 45s, 3m20s, 12m, 5h, 3d. */
    static String age(Duration d) {
        long s = Math.max(0, d.getSeconds());
        if (s < 120) {
            return s + "s";
        }
        long m = s / 60;
        if (m < 10) {
            return m + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        }
        if (m < 180) {
            return m + "m";
        }
        long h = m / 60;
        if (h < 48) {
            return h + "h";
        }
        return (h / 24) + "d";
    }
}
