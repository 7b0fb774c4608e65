package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.OutputFormat;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code currents explain <kind> <name>}: one screen on why a Kustomization or HelmRelease is (not) applied — its
 * conditions, the chain it waits on, drift, its last events, reconcile times and who suspended it.
 */
@Command(mixinStandardHelpOptions = true)
public final class ExplainCommand extends ClusterCommand {

    @Parameters(index = "0", paramLabel = "<kind>", description = "kustomization (ks) or helmrelease (hr).")
    String kindName;

    @Parameters(index = "1", paramLabel = "<name>", description = "Name of the object.")
    String name;

    @Option(names = {"-o", "--output"}, paramLabel = "json", description = "Print the explanation as JSON.")
    OutputFormat format;

    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        FluxKind kind = FluxKind.byKind(kindName).filter(k -> k == FluxKind.KUSTOMIZATION || k == FluxKind.HELM_RELEASE)
                .orElseThrow(() -> new CliException("explain works on kustomization (ks) and helmrelease (hr), not '" + kindName + "'",
                        ExitCodes.USAGE));
        var object = FluxObjects.require(kube.client(), kind, kube.namespace(), name);
        Map<String, Object> explanation = Explanation.of(kube.client(), kind, object, clock);
        print(format == null ? text(explanation) : format.render(explanation));
        return 0;
    }

    static String text(Map<String, Object> e) {
        StringBuilder out = new StringBuilder();
        out.append(e.get("kind")).append(' ').append(e.get("namespace")).append('/').append(e.get("name")).append('\n');
        Map<String, Object> conditions = FluxObjects.map(e.get("conditions"));
        for (String type : List.of("Ready", "Reconciling", "Stalled")) {
            Map<String, Object> c = FluxObjects.map(conditions.get(type));
            out.append(String.format("  %-12s", type));
            if (c.isEmpty()) {
                out.append("-\n");
            } else {
                out.append(c.get("status")).append("  ").append(c.get("reason"))
                        .append(c.get("message") == null ? "" : ": " + c.get("message")).append('\n');
            }
        }
        Map<String, Object> suspended = FluxObjects.map(e.get("suspended"));
        out.append("  Suspended   ");
        if (Boolean.TRUE.equals(suspended.get("suspended"))) {
            out.append("yes");
            if (suspended.get("by") != null) {
                out.append(", by ").append(suspended.get("by"));
            }
            if (suspended.get("reason") != null) {
                out.append(": ").append(suspended.get("reason"));
            }
            out.append('\n');
        } else {
            out.append("no\n");
        }
        Map<String, Object> times = FluxObjects.map(e.get("reconcile"));
        out.append("  Last change ").append(orNone(times.get("lastTransition")));
        if (times.get("lastAppliedRevision") != null) {
            out.append(" (applied ").append(times.get("lastAppliedRevision")).append(')');
        }
        out.append('\n');
        out.append("  Next due    ").append(times.get("nextDue") != null ? times.get("nextDue") + " (every " + times.get("interval") + ")"
                : Boolean.TRUE.equals(suspended.get("suspended")) ? "never while suspended" : "<unknown>").append('\n');
        out.append("\nWaiting on:\n");
        List<?> waits = (List<?>) e.get("waitingOn");
        if (waits.isEmpty()) {
            out.append("  nothing\n");
        }
        for (Object o : waits) {
            Map<String, Object> w = FluxObjects.map(o);
            out.append("  ").append(Boolean.TRUE.equals(w.get("ok")) ? "✔ " : "✗ ").append(String.format("%-10s", w.get("step")))
                    .append(w.get("kind")).append(' ').append(w.get("namespace") == null || "".equals(w.get("namespace")) ? "" : w.get("namespace") + "/")
                    .append(w.get("name")).append(": ").append(w.get("message")).append('\n');
        }
        if (e.get("objectsNotChecked") != null) {
            out.append("  (").append(e.get("objectsNotChecked")).append(" more inventory objects not checked)\n");
        }
        out.append("\nDrift:\n");
        List<?> drift = (List<?>) e.get("drift");
        if (drift.isEmpty()) {
            out.append("  none: no other field manager owns fields of the applied objects\n");
        }
        for (Object o : drift) {
            Map<String, Object> d = FluxObjects.map(o);
            out.append("  ").append(d.get("kind")).append(' ').append("".equals(d.get("namespace")) ? "" : d.get("namespace") + "/")
                    .append(d.get("name")).append(": ").append(d.get("fields")).append(" changed by ").append(d.get("manager"))
                    .append(" (").append(d.get("operation")).append(d.get("time") == null ? "" : ", " + d.get("time")).append(")\n");
        }
        out.append("\nLast events:\n");
        List<?> events = (List<?>) e.get("events");
        if (events.isEmpty()) {
            out.append("  none\n");
        }
        for (Object o : events) {
            Map<String, Object> ev = FluxObjects.map(o);
            out.append(String.format("  %-6s %-8s %s: %s%n", ev.get("age"), ev.get("type"), ev.get("reason"), ev.get("message")));
        }
        return out.toString();
    }

    private static Object orNone(Object value) {
        return value == null ? "<none>" : value;
    }
}
