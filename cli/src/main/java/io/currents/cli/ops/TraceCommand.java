package io.currents.cli.ops;

import io.currents.api.meta.FluxMeta;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * {@code currents trace <name> --kind <Kind> --api-version <group/version>}: which Kustomization or HelmRelease
 * manages an object (its owner labels, or those of its owner), with that object's source, revision and status,
 * in flux trace's layout.
 */
@Command(mixinStandardHelpOptions = true)
public final class TraceCommand extends ClusterCommand {

    private static final DateTimeFormatter GO_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z 'UTC'").withZone(ZoneOffset.UTC);

    @Parameters(arity = "1..*", paramLabel = "<resource> <name>",
            description = "What to trace, as flux takes it: <resource> <name>..., <resource>/<name>..., or <name>... with --kind; "
                    + "<resource> is a kind, plural or short name (deployment, deploy, cm, hr).")
    List<String> args;

    @Option(names = "--kind", description = "Kind of the object, e.g. Deployment.")
    String kind;

    @Option(names = "--api-version", description = "apiVersion of the object, e.g. apps/v1 (default: the version the API server prefers).")
    String apiVersion;

    /** One object to trace: the resource word as typed and the name. */
    record Target(String resource, String name) {
    }

    @Override
    public Integer call() {
        List<Target> targets = targets();
        KubernetesClient client = kube.client();
        StringBuilder report = new StringBuilder();
        for (Target t : targets) {
            GenericKubernetesResource object = fetch(client, apiVersion, t.resource(), kube.namespace(), t.name());
            if (object == null) {
                throw new CliException(t.resource() + " '" + kube.namespace() + "/" + t.name()
                        + "' not found; check the name, the kind and --namespace");
            }
            report.append(trace(client, object));
        }
        print(report.toString());
        return 0;
    }

    /** The argument forms of flux trace: {@code --kind K <name>...}, {@code <res>/<name>...}, {@code <res> <name>...}. */
    List<Target> targets() {
        List<Target> targets = new java.util.ArrayList<>();
        if (kind != null) {
            args.forEach(a -> targets.add(new Target(kind, a)));
        } else if (args.get(0).contains("/")) {
            for (String a : args) {
                int slash = a.indexOf('/');
                if (slash <= 0 || slash == a.length() - 1) {
                    throw new CliException("invalid object '" + a + "'; use <resource>/<name>, e.g. deployment/web", ExitCodes.USAGE);
                }
                targets.add(new Target(a.substring(0, slash), a.substring(slash + 1)));
            }
        } else if (args.size() >= 2) {
            args.subList(1, args.size()).forEach(a -> targets.add(new Target(args.get(0), a)));
        } else {
            throw new CliException("object kind is required; use 'trace <resource> <name>', '<resource>/<name>' or --kind "
                    + "(e.g. currents trace deployment web)", ExitCodes.USAGE);
        }
        if (apiVersion != null && kind == null && targets.stream().map(Target::resource).distinct().count() > 1) {
            throw new CliException("--api-version applies to one kind; trace objects of other kinds separately", ExitCodes.USAGE);
        }
        return targets;
    }

    /** The API resource a word names (kind, plural, singular or short name), in {@code apiVersion} or the served versions. */
    static Map.Entry<String, io.fabric8.kubernetes.api.model.APIResource> resolve(KubernetesClient client, String apiVersion, String word) {
        List<String> versions = new java.util.ArrayList<>();
        if (apiVersion != null) {
            versions.add(apiVersion);
        } else {
            versions.add("v1");
            client.getApiGroups().getGroups().forEach(g -> versions.add(g.getPreferredVersion().getGroupVersion()));
        }
        for (String version : versions) {
            try {
                var list = client.getApiResources(version);
                if (list == null) {
                    continue;
                }
                var found = list.getResources().stream()
                        .filter(r -> !r.getName().contains("/"))
                        .filter(r -> r.getKind().equalsIgnoreCase(word) || r.getName().equalsIgnoreCase(word)
                                || word.equalsIgnoreCase(r.getSingularName())
                                || (r.getShortNames() != null && r.getShortNames().stream().anyMatch(word::equalsIgnoreCase)))
                        .findFirst();
                if (found.isPresent()) {
                    return Map.entry(version, found.get());
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw e;
                }
            }
        }
        throw new CliException("the API server does not serve a resource named " + word
                + (apiVersion == null ? "" : " in " + apiVersion) + "; check the kind" + (apiVersion == null ? "" : " and --api-version"));
    }

    static GenericKubernetesResource fetch(KubernetesClient client, String apiVersion, String kind, String namespace, String name) {
        var resolved = resolve(client, apiVersion, kind);
        var resource = resolved.getValue();
        var context = new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext.Builder()
                .withGroup(io.currents.runtime.apply.ObjectRef.groupOf(resolved.getKey()))
                .withVersion(io.currents.runtime.apply.ObjectRef.versionOf(resolved.getKey()))
                .withKind(resource.getKind()).withPlural(resource.getName())
                .withNamespaced(Boolean.TRUE.equals(resource.getNamespaced())).build();
        var resources = client.genericKubernetesResources(context);
        try {
            return Boolean.TRUE.equals(resource.getNamespaced())
                    ? resources.inNamespace(namespace).withName(name).get()
                    : resources.withName(name).get();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /** The report for an object: its manager and that manager's source. */
    static String trace(KubernetesClient client, GenericKubernetesResource object) {
        Optional<String[]> ks = manager(client, object, FluxMeta.KUSTOMIZE_NAME_LABEL, FluxMeta.KUSTOMIZE_NAMESPACE_LABEL);
        if (ks.isPresent()) {
            GenericKubernetesResource k = FluxObjects.require(client, FluxKind.KUSTOMIZATION, ks.get()[1], ks.get()[0]);
            return kustomizationReport(object, k, source(client, FluxKind.KUSTOMIZATION, k));
        }
        Optional<String[]> hr = manager(client, object, FluxMeta.HELM_NAME_LABEL, FluxMeta.HELM_NAMESPACE_LABEL);
        if (hr.isPresent()) {
            GenericKubernetesResource h = FluxObjects.require(client, FluxKind.HELM_RELEASE, hr.get()[1], hr.get()[0]);
            return helmReport(client, object, h);
        }
        throw new CliException(object.getKind() + " " + object.getMetadata().getName()
                + " is not managed by Flux: it has no Kustomization or HelmRelease owner labels, nor has its owner");
    }

    /** Owner labels of the object, or of the object that owns it (a ReplicaSet's Deployment, a Pod's ReplicaSet). */
    private static Optional<String[]> manager(KubernetesClient client, GenericKubernetesResource object, String nameLabel, String namespaceLabel) {
        GenericKubernetesResource current = object;
        for (int depth = 0; depth < 3 && current != null; depth++) {
            Map<String, String> labels = current.getMetadata().getLabels();
            if (labels != null && labels.get(nameLabel) != null) {
                String ns = labels.getOrDefault(namespaceLabel, current.getMetadata().getNamespace());
                return Optional.of(new String[] {labels.get(nameLabel), ns});
            }
            OwnerReference owner = current.getMetadata().getOwnerReferences() == null ? null
                    : current.getMetadata().getOwnerReferences().stream().filter(r -> Boolean.TRUE.equals(r.getController()))
                    .findFirst().orElse(current.getMetadata().getOwnerReferences().stream().findFirst().orElse(null));
            if (owner == null) {
                return Optional.empty();
            }
            current = fetch(client, owner.getApiVersion(), owner.getKind(), current.getMetadata().getNamespace(), owner.getName());
        }
        return Optional.empty();
    }

    private static GenericKubernetesResource source(KubernetesClient client, FluxKind kind, GenericKubernetesResource object) {
        ReconcileCommand.SourceRef ref = ReconcileCommand.sourceOf(kind, object);
        return ref == null ? null : FluxObjects.get(client, ref.kind(), ref.namespace(), ref.name());
    }

    /** A report that starts with the object and says Flux manages it, as flux trace does. */
    private static Report managedObject(int width, GenericKubernetesResource object) {
        Report r = new Report(width);
        r.blank();
        r.field("Object", object.getKind() + "/" + object.getMetadata().getName());
        r.optional("Namespace", object.getMetadata().getNamespace());
        r.field("Status", "Managed by Flux");
        r.separator();
        return r;
    }

    static String kustomizationReport(GenericKubernetesResource object, GenericKubernetesResource k, GenericKubernetesResource source) {
        Report r = managedObject(17, object);
        Map<String, Object> spec = FluxObjects.spec(k);
        r.field("Kustomization", k.getMetadata().getName());
        r.field("Namespace", k.getMetadata().getNamespace());
        r.optional("Target", FluxObjects.string(spec, "targetNamespace"));
        r.field("Path", FluxObjects.string(spec, "path"));
        r.field("Revision", FluxObjects.string(FluxObjects.status(k), "lastAppliedRevision"));
        r.status(k, false);
        if (source != null) {
            r.separator();
            sourceReport(r, source);
        }
        return r.toString();
    }

    private static void sourceReport(Report r, GenericKubernetesResource source) {
        Map<String, Object> spec = FluxObjects.spec(source);
        r.field(source.getKind(), source.getMetadata().getName());
        r.field("Namespace", source.getMetadata().getNamespace());
        r.field("URL", FluxObjects.string(spec, "url"));
        Map<String, Object> ref = FluxObjects.map(spec.get("ref"));
        if (!FluxObjects.string(ref, "tag").isEmpty()) {
            r.field("Tag", FluxObjects.string(ref, "tag"));
        } else if (!FluxObjects.string(ref, "semver").isEmpty()) {
            r.field("Tag", FluxObjects.string(ref, "semver"));
        } else if (!FluxObjects.string(ref, "digest").isEmpty()) {
            r.field("Digest", FluxObjects.string(ref, "digest"));
        } else if (!FluxObjects.string(ref, "branch").isEmpty()) {
            r.field("Branch", FluxObjects.string(ref, "branch"));
        }
        r.optional("Revision", FluxObjects.string(FluxObjects.status(source), "artifact", "revision"));
        r.status(source, true);
    }

    static String helmReport(KubernetesClient client, GenericKubernetesResource object, GenericKubernetesResource hr) {
        Report r = managedObject(16, object);
        Map<String, Object> spec = FluxObjects.spec(hr);
        r.field("HelmRelease", hr.getMetadata().getName());
        r.field("Namespace", hr.getMetadata().getNamespace());
        r.optional("Target", FluxObjects.string(spec, "targetNamespace"));
        r.field("Revision", FluxObjects.revision(FluxKind.HELM_RELEASE, hr));
        r.status(hr, false);
        String chart = FluxObjects.string(FluxObjects.status(hr), "helmChart");
        if (!chart.isEmpty() && chart.contains("/")) {
            GenericKubernetesResource hc = FluxObjects.get(client, FluxKind.HELM_CHART, chart.substring(0, chart.indexOf('/')),
                    chart.substring(chart.indexOf('/') + 1));
            if (hc != null) {
                r.separator();
                Map<String, Object> hcSpec = FluxObjects.spec(hc);
                r.field("HelmChart", hc.getMetadata().getName());
                r.field("Namespace", hc.getMetadata().getNamespace());
                r.field("Chart", FluxObjects.string(hcSpec, "chart"));
                r.field("Version", FluxObjects.string(hcSpec, "version"));
                r.optional("Revision", FluxObjects.string(FluxObjects.status(hc), "artifact", "revision"));
                r.status(hc, false);
            }
        }
        GenericKubernetesResource source = source(client, FluxKind.HELM_RELEASE, hr);
        if (source != null && source.getKind().equals("HelmChart")) {
            source = null; // shown above
        }
        if (source == null) {
            String kind = FluxObjects.string(spec, "chart", "spec", "sourceRef", "kind");
            String name = FluxObjects.string(spec, "chart", "spec", "sourceRef", "name");
            String ns = FluxObjects.string(spec, "chart", "spec", "sourceRef", "namespace");
            var k = FluxKind.byKind(kind);
            if (k.isPresent() && !name.isEmpty()) {
                source = FluxObjects.get(client, k.get(), ns.isEmpty() ? hr.getMetadata().getNamespace() : ns, name);
            }
        }
        if (source != null) {
            r.separator();
            sourceReport(r, source);
        }
        return r.toString();
    }

    /** flux trace's aligned "Label:   value" lines. */
    private static final class Report {
        private final StringBuilder sb = new StringBuilder();
        private final int width;

        Report(int width) {
            this.width = width;
        }

        void blank() {
            sb.append('\n');
        }

        void separator() {
            sb.append("---\n");
        }

        void field(String label, String value) {
            String head = label + ":";
            sb.append(head).append(" ".repeat(Math.max(1, width - head.length()))).append(value == null ? "" : value).append('\n');
        }

        void optional(String label, String value) {
            if (value != null && !value.isEmpty()) {
                field(label, value);
            }
        }

        void status(GenericKubernetesResource object, boolean showFailure) {
            var ready = FluxObjects.condition(object, FluxMeta.READY_CONDITION);
            if (ready.isEmpty()) {
                field("Status", "Unknown");
                return;
            }
            String time = goTime(String.valueOf(ready.get().get("lastTransitionTime")));
            boolean failed = showFailure && "False".equals(ready.get().get("status"));
            field("Status", (failed ? "Last reconciliation failed at " : "Last reconciled at ") + time);
            field("Message", ready.get().get("message") == null ? "" : String.valueOf(ready.get().get("message")));
        }

        @Override
        public String toString() {
            return sb.toString();
        }
    }

    /** Go's time.Time format that flux prints for condition times, e.g. {@code 2021-07-16 15:42:20 +0000 UTC}. */
    static String goTime(String rfc3339) {
        try {
            return GO_TIME.format(Instant.parse(rfc3339));
        } catch (RuntimeException e) {
            return rfc3339;
        }
    }
}
