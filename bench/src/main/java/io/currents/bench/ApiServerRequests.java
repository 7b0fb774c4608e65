package io.currents.bench;

import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API server's own count of the requests it served ({@code apiserver_request_total} on {@code /metrics}), by verb
 * and resource: a snapshot before and after a phase of a benchmark gives what the phase cost the API server, whoever
 * sent it. Dry-run requests are counted apart ({@code PATCH-dryrun}); server-side applies show as {@code APPLY} when
 * the API server names them so, else as {@code PATCH}.
 */
public final class ApiServerRequests {

    private static final Pattern SAMPLE = Pattern.compile("^apiserver_request_total\\{([^}]*)} ([0-9.e+]+)$");
    private static final Pattern LABEL = Pattern.compile("(\\w+)=\"([^\"]*)\"");

    private final Map<String, Double> counts;

    private ApiServerRequests(Map<String, Double> counts) {
        this.counts = counts;
    }

    /** The counters now, keyed {@code VERB resource[/subresource]}. */
    public static ApiServerRequests snapshot(KubernetesClient client) {
        Map<String, Double> counts = new TreeMap<>();
        for (String line : client.raw("/metrics").split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!sample.matches()) {
                continue;
            }
            Map<String, String> labels = new TreeMap<>();
            Matcher label = LABEL.matcher(sample.group(1));
            while (label.find()) {
                labels.put(label.group(1), label.group(2));
            }
            String verb = labels.getOrDefault("verb", "?");
            if (verb.equals("WATCH") || verb.equals("CONNECT")) {
                // long-running: a watch is counted when it ends, not by the work it does
                continue;
            }
            String dryRun = labels.getOrDefault("dry_run", "");
            String resource = labels.getOrDefault("resource", "");
            String subresource = labels.getOrDefault("subresource", "");
            String key = verb + (dryRun.isEmpty() ? "" : "-dryrun") + " " + (resource.isEmpty() ? "(non-resource)" : resource)
                    + (subresource.isEmpty() ? "" : "/" + subresource);
            counts.merge(key, Double.parseDouble(sample.group(2)), Double::sum);
        }
        return new ApiServerRequests(counts);
    }

    /** What was served since {@code before}, keyed as {@link #snapshot}, only the non-zero ones. */
    public Map<String, Long> since(ApiServerRequests before) {
        Map<String, Long> diff = new TreeMap<>();
        counts.forEach((key, value) -> {
            long d = Math.round(value - before.counts.getOrDefault(key, 0.0));
            if (d != 0) {
                diff.put(key, d);
            }
        });
        return diff;
    }

    /**
     * The resources only the local control plane's kube-controller-manager and the API server itself write or poll (the
     * Deployment, ReplicaSet, Endpoints and Job controllers catching up on applied Deployments and Services, API Priority
     * and Fairness): left out of a controller's count and shown apart.
     */
    private static final java.util.Set<String> CONTROL_PLANE_ONLY = java.util.Set.of("endpoints", "endpointslices", "replicasets",
            "replicasets/status", "deployments/status", "jobs", "cronjobs", "resourcequotas", "flowschemas",
            "prioritylevelconfigurations", "namespaces");

    /** Removes the control plane's own requests ({@link #CONTROL_PLANE_ONLY}) from {@code diff}; returns how many there were. */
    public static long removeControlPlane(Map<String, Long> diff) {
        long removed = 0;
        var entries = diff.entrySet().iterator();
        while (entries.hasNext()) {
            var e = entries.next();
            if (CONTROL_PLANE_ONLY.contains(e.getKey().substring(e.getKey().indexOf(' ') + 1))) {
                removed += e.getValue();
                entries.remove();
            }
        }
        return removed;
    }

    /** The sum of a diff. */
    public static long total(Map<String, Long> diff) {
        return diff.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The sum of the entries whose verb (the key's first word, dry-run or not) is one of {@code verbs}. */
    public static long ofVerbs(Map<String, Long> diff, String... verbs) {
        long sum = 0;
        for (Map.Entry<String, Long> e : diff.entrySet()) {
            String verb = e.getKey().substring(0, e.getKey().indexOf(' '));
            for (String v : verbs) {
                if (verb.equals(v)) {
                    sum += e.getValue();
                }
            }
        }
        return sum;
    }

    /** One line per entry, with the count per {@code unit} (e.g. per Kustomization) when {@code per} is above 0. */
    public static String format(Map<String, Long> diff, int per, String indent) {
        StringBuilder out = new StringBuilder();
        diff.forEach((key, value) -> out.append(String.format("%s%-48s %8d%s%n", indent, key, value,
                per > 0 ? String.format("  (%.2f each)", value / (double) per) : "")));
        return out.toString();
    }
}
