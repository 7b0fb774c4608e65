package io.currents.runtime.reconcile;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.meta.DependencyReference;
import io.currents.api.meta.FluxStatus;
import io.currents.runtime.manifests.Reasons;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * {@code dependsOn} across kinds (a Currents extension to Flux's same-kind references): an entry's {@code kind} (and
 * optional {@code apiVersion}) may name a Kustomization or a HelmRelease. Resolves and reads such dependencies, and
 * watches both kinds so that a dependency becoming Ready wakes its dependents at once instead of at the next
 * {@code requeue-dependency} poll.
 */
public final class DependencyKinds {

    public static final String KUSTOMIZATION = "Kustomization";
    public static final String HELM_RELEASE = "HelmRelease";
    /** The dependents' index: {@code Kind/namespace/name} of every dependency. */
    public static final String INDEX = "dependsOn";

    private static final Logger LOG = Logger.getLogger(DependencyKinds.class);
    private static final Map<String, Class<? extends CustomResource<?, ? extends FluxStatus>>> TYPES =
            Map.of(KUSTOMIZATION, Kustomization.class, HELM_RELEASE, HelmRelease.class);
    private static final Map<String, String> API_VERSIONS =
            Map.of(KUSTOMIZATION, "kustomize.toolkit.fluxcd.io/v1", HELM_RELEASE, "helm.toolkit.fluxcd.io/v2");

    private DependencyKinds() {
    }

    /**
     * The kind an entry names: its {@code kind}, or {@code ownKind} when empty. Any other kind, or an apiVersion of
     * another group, is a spec error.
     */
    public static String kindOf(DependencyReference ref, String ownKind) throws ReconcileFailure {
        String kind = ref.getKind() == null || ref.getKind().isEmpty() ? ownKind : ref.getKind();
        String apiVersion = API_VERSIONS.get(kind);
        if (apiVersion == null) {
            throw ReconcileFailure.stalled(Reasons.DEPENDENCY_NOT_READY, "dependsOn '" + ref.getName() + "': kind '" + kind
                    + "' is not supported; use Kustomization or HelmRelease");
        }
        if (ref.getApiVersion() != null && !ref.getApiVersion().isEmpty()
                && !group(ref.getApiVersion()).equals(group(apiVersion))) {
            throw ReconcileFailure.stalled(Reasons.DEPENDENCY_NOT_READY, "dependsOn '" + ref.getName() + "': apiVersion '"
                    + ref.getApiVersion() + "' is not of kind " + kind + " (" + group(apiVersion) + ")");
        }
        return kind;
    }

    /** The dependency's namespace: the entry's, or the dependent's. */
    public static String namespaceOf(DependencyReference ref, HasMetadata dependent) {
        return ref.getNamespace() == null || ref.getNamespace().isEmpty() ? dependent.getMetadata().getNamespace() : ref.getNamespace();
    }

    /** How messages name a dependency: Flux's {@code 'ns/name'}, with {@code (Kind)} after it when it is another kind. */
    public static String describe(String kind, String ownKind, String namespace, String name) {
        return "'" + namespace + "/" + name + "'" + (kind.equals(ownKind) ? "" : " (" + kind + ")");
    }

    /** The dependency as stored, or null when it (or its kind) does not exist. */
    public static CustomResource<?, ? extends FluxStatus> get(KubernetesClient client, String kind, String namespace, String name) {
        try {
            return client.resources(TYPES.get(kind)).inNamespace(namespace).withName(name).get();
        } catch (KubernetesClientException e) {
            return null;
        }
    }

    /** Ready=True for its current generation, as Flux judges a dependency. */
    public static boolean isReady(CustomResource<?, ? extends FluxStatus> dependency) {
        FluxStatus status = dependency.getStatus();
        return status != null && Objects.equals(status.getObservedGeneration(), dependency.getMetadata().getGeneration())
                && Conditions.isTrue(status.getConditions(), Conditions.READY);
    }

    /**
     * Indexes the primaries by their dependencies and returns the watches on both kinds (each only where the API server
     * serves it): a dependency that becomes Ready, or is Ready with a new generation or Ready message (a new revision),
     * reconciles its dependents.
     */
    public static <P extends HasMetadata> List<EventSource<?, P>> wakeDependents(EventSourceContext<P> context, Class<P> primary,
            String ownKind, Function<P, List<DependencyReference>> refs, KubernetesClient client) {
        var primaries = context.getPrimaryCache();
        primaries.addIndexer(INDEX, p -> {
            List<DependencyReference> entries = refs.apply(p);
            List<String> keys = new ArrayList<>();
            if (entries != null) {
                for (DependencyReference ref : entries) {
                    String kind = ref.getKind() == null || ref.getKind().isEmpty() ? ownKind : ref.getKind();
                    keys.add(kind + "/" + namespaceOf(ref, p) + "/" + ref.getName());
                }
            }
            return keys;
        });
        List<EventSource<?, P>> sources = new ArrayList<>();
        for (String kind : List.of(KUSTOMIZATION, HELM_RELEASE)) {
            if (!kind.equals(ownKind) && !served(client, kind)) {
                LOG.infof("%s is not served by this cluster: dependsOn entries of that kind are checked every requeue-dependency", kind);
                continue;
            }
            sources.add(watch(kind, TYPES.get(kind), primary, context));
        }
        return sources;
    }

    private static <D extends CustomResource<?, ? extends FluxStatus>, P extends HasMetadata> InformerEventSource<D, P> watch(
            String kind, Class<D> type, Class<P> primary, EventSourceContext<P> context) {
        var primaries = context.getPrimaryCache();
        var configuration = InformerEventSourceConfiguration.from(type, primary)
                .withName("dependency-" + kind)
                .withSecondaryToPrimaryMapper(d -> primaries.byIndex(INDEX,
                                kind + "/" + d.getMetadata().getNamespace() + "/" + d.getMetadata().getName())
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withOnAddFilter(d -> readyState(d) != null)
                .withOnUpdateFilter((updated, old) -> {
                    String now = readyState(updated);
                    return now != null && !now.equals(readyState(old));
                })
                .withOnDeleteFilter((d, unknown) -> false)
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    /** What a dependent's wait depends on: null while not Ready, else the generation and Ready message (it names the revision). */
    private static String readyState(CustomResource<?, ? extends FluxStatus> d) {
        if (!isReady(d)) {
            return null;
        }
        return d.getMetadata().getGeneration() + "|" + Conditions.find(d.getStatus().getConditions(), Conditions.READY)
                .map(c -> c.getMessage()).orElse("");
    }

    private static boolean served(KubernetesClient client, String kind) {
        try {
            APIResourceList list = client.getApiResources(API_VERSIONS.get(kind));
            return list != null && list.getResources() != null
                    && list.getResources().stream().anyMatch(r -> kind.equals(r.getKind()));
        } catch (KubernetesClientException e) {
            return false;
        }
    }

    private static String group(String apiVersion) {
        int slash = apiVersion.indexOf('/');
        return slash < 0 ? "" : apiVersion.substring(0, slash);
    }
}
