package io.currents.cli.plan;

import io.currents.cli.output.OutputFormat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Prints a {@link Plan} as text for a terminal, JSON for scripts, or Markdown for a pull-request comment. */
final class PlanReport {

    enum Format { text, json, markdown }

    private PlanReport() {
    }

    static String render(Plan plan, Format format) {
        return switch (format) {
            case text -> text(plan);
            case json -> OutputFormat.json.render(json(plan));
            case markdown -> markdown(plan);
        };
    }

    static String summary(Plan plan) {
        return plan.count(Plan.Action.CREATE) + " to create, " + plan.count(Plan.Action.UPDATE) + " to update, "
                + plan.count(Plan.Action.DELETE) + " to delete, " + plan.count(Plan.Action.ORPHAN) + " left behind (prune disabled); "
                + plan.unchanged + " unchanged, " + plan.notPlanned.size() + " not planned, " + plan.errors.size() + " errors";
    }

    /** Changes per applier, each applier's deletions first; appliers in the order the graph was walked. */
    private static Map<Graph.Applier, List<Plan.Change>> grouped(Plan plan) {
        Map<Graph.Applier, List<Plan.Change>> groups = new LinkedHashMap<>();
        for (Plan.Change c : plan.changes) {
            groups.computeIfAbsent(c.applier(), a -> new ArrayList<>()).add(c);
        }
        groups.values().forEach(l -> l.sort(Comparator.comparing(Plan.Change::action)));
        return groups;
    }

    private static String text(Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("Plan of ").append(plan.path).append(": ").append(plan.base).append(" → ").append(plan.head).append("\n");
        List<Plan.Change> deletions = plan.changes.stream().filter(c -> c.action() == Plan.Action.DELETE).toList();
        if (!deletions.isEmpty()) {
            out.append("\n!!! ").append(deletions.size()).append(deletions.size() == 1 ? " OBJECT WILL BE DELETED" : " OBJECTS WILL BE DELETED")
                    .append(" (pruned) !!!\n");
            deletions.forEach(c -> out.append("  - ").append(c.subject()).append("  (").append(c.applier().title()).append(")\n"));
        }
        grouped(plan).forEach((applier, changes) -> {
            out.append("\n").append(applier.title()).append("\n");
            for (Plan.Change c : changes) {
                out.append("  ").append(symbol(c.action())).append(' ').append(verb(c.action())).append(' ').append(c.subject()).append('\n');
                if (c.action() != Plan.Action.DELETE && !c.diff().isEmpty()) {
                    c.diff().lines().forEach(l -> out.append("      ").append(l).append('\n'));
                }
            }
        });
        if (!plan.notPlanned.isEmpty()) {
            out.append("\nNot planned:\n");
            plan.notPlanned.forEach(n -> out.append("  ? ").append(n.applier().title()).append(": ").append(n.reason()).append('\n'));
        }
        if (!plan.partial.isEmpty()) {
            out.append("\nPlanned in part:\n");
            plan.partial.forEach(n -> out.append("  ⚠ ").append(n.applier().title()).append(": ").append(n.reason()).append('\n'));
        }
        if (!plan.errors.isEmpty()) {
            out.append("\nErrors:\n");
            plan.errors.forEach(e -> out.append("  ✗ ").append(e).append('\n'));
        }
        out.append("\nPlan: ").append(summary(plan)).append(".\n");
        return out.toString();
    }

    private static Map<String, Object> json(Plan plan) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("path", plan.path);
        root.put("base", plan.base);
        root.put("head", plan.head);
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("create", plan.count(Plan.Action.CREATE));
        summary.put("update", plan.count(Plan.Action.UPDATE));
        summary.put("delete", plan.count(Plan.Action.DELETE));
        summary.put("orphan", plan.count(Plan.Action.ORPHAN));
        summary.put("unchanged", plan.unchanged);
        summary.put("notPlanned", plan.notPlanned.size());
        summary.put("errors", plan.errors.size());
        root.put("summary", summary);
        List<Object> changes = new ArrayList<>();
        grouped(plan).forEach((applier, list) -> list.forEach(c -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("action", c.action().name().toLowerCase());
            m.put("appliedBy", Map.of("kind", applier.kind(), "namespace", applier.namespace(), "name", applier.name()));
            m.put("apiVersion", c.apiVersion());
            m.put("kind", c.kind());
            if (c.namespace() != null) {
                m.put("namespace", c.namespace());
            }
            m.put("name", c.name());
            m.put("diff", c.diff());
            changes.add(m);
        }));
        root.put("changes", changes);
        root.put("notPlanned", plan.notPlanned.stream().map(n -> Map.of("kind", n.applier().kind(), "namespace", n.applier().namespace(),
                "name", n.applier().name(), "reason", n.reason())).toList());
        root.put("partial", plan.partial.stream().map(n -> Map.of("kind", n.applier().kind(), "namespace", n.applier().namespace(),
                "name", n.applier().name(), "reason", n.reason())).toList());
        root.put("errors", plan.errors);
        return root;
    }

    private static String markdown(Plan plan) {
        StringBuilder out = new StringBuilder();
        out.append("### currents plan `").append(plan.path).append("`\n\n");
        out.append("`").append(plan.base).append("` → `").append(plan.head).append("`\n\n");
        out.append("**").append(summary(plan)).append("**\n");
        List<Plan.Change> deletions = plan.changes.stream().filter(c -> c.action() == Plan.Action.DELETE).toList();
        if (!deletions.isEmpty()) {
            out.append("\n> [!CAUTION]\n> **").append(deletions.size()).append(deletions.size() == 1 ? " object" : " objects")
                    .append(" will be deleted (pruned):**\n");
            deletions.forEach(c -> out.append("> - `").append(c.subject()).append("` (").append(c.applier().title()).append(")\n"));
        }
        grouped(plan).forEach((applier, changes) -> {
            out.append("\n#### ").append(applier.title()).append("\n\n");
            for (Plan.Change c : changes) {
                out.append("- **").append(verb(c.action())).append("** `").append(c.subject()).append("`\n");
            }
            String diffs = changes.stream().filter(c -> c.action() == Plan.Action.UPDATE || c.action() == Plan.Action.CREATE)
                    .map(c -> "# " + c.subject() + "\n" + c.diff()).reduce("", String::concat);
            if (!diffs.isEmpty()) {
                out.append("\n<details><summary>diff</summary>\n\n```diff\n").append(diffs).append("```\n\n</details>\n");
            }
        });
        if (!plan.notPlanned.isEmpty()) {
            out.append("\n#### Not planned\n\n");
            plan.notPlanned.forEach(n -> out.append("- ").append(n.applier().title()).append(": ").append(n.reason()).append('\n'));
        }
        if (!plan.partial.isEmpty()) {
            out.append("\n#### Planned in part\n\n");
            plan.partial.forEach(n -> out.append("- ").append(n.applier().title()).append(": ").append(n.reason()).append('\n'));
        }
        if (!plan.errors.isEmpty()) {
            out.append("\n#### Errors\n\n");
            plan.errors.forEach(e -> out.append("- ").append(e).append('\n'));
        }
        return out.toString();
    }

    private static String symbol(Plan.Action action) {
        return switch (action) {
            case DELETE -> "-";
            case CREATE -> "+";
            case UPDATE -> "~";
            case ORPHAN -> "!";
        };
    }

    private static String verb(Plan.Action action) {
        return switch (action) {
            case DELETE -> "delete";
            case CREATE -> "create";
            case UPDATE -> "update";
            case ORPHAN -> "leave (prune disabled)";
        };
    }
}
