package io.currents.runtime.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.BiPredicate;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Flux's "reacting immediately to configuration dependencies": a ConfigMap or Secret labelled
 * {@code reconcile.fluxcd.io/watch: Enabled} that an object reads (a Kustomization's {@code postBuild.substituteFrom},
 * a HelmRelease's {@code valuesFrom}) reconciles that object as soon as its data changes, appears or goes. Only
 * labelled objects are watched (a label-selected informer), so the controller never caches every Secret of the cluster.
 */
public final class ConfigDependencyWatch {

    public static final String LABEL = "reconcile.fluxcd.io/watch";
    public static final String ENABLED = "Enabled";
    /** Flux's {@code --watch-configs-label-selector}: the property that replaces the default selector. */
    public static final String SELECTOR_PROPERTY = "watch-configs-label-selector";
    public static final String DEFAULT_SELECTOR = LABEL + "=" + ENABLED;
    /**
     * Currents' default beyond Flux: how long after a change to an unlabelled ConfigMap or Secret that an object reads
     * the object is reconciled ({@code 0} turns it off, leaving Flux's label as the only trigger).
     */
    public static final String REFERENCED_DEBOUNCE_PROPERTY = "watch-referenced-configs-debounce";
    public static final String DEFAULT_REFERENCED_DEBOUNCE = "2s";
    /** The name of the primaries' index of the ConfigMaps and Secrets they read. */
    public static final String INDEX = "configDependency";

    /** One ConfigMap or Secret an object reads, in the object's own namespace. */
    public record Reference(String kind, String name) {
    }

    private ConfigDependencyWatch() {
    }

    /**
     * Indexes the primaries by the references {@code referencesOf} finds in them and returns the two informers
     * (ConfigMaps, Secrets) selected by {@code labelSelector} that reconcile the primaries reading a changed object.
     */
    public static <P extends HasMetadata> List<EventSource<?, P>> eventSources(Class<P> primary, EventSourceContext<P> context,
                                                                               String labelSelector,
                                                                               Function<P, List<Reference>> referencesOf) {
        return eventSources(primary, context, labelSelector, referencesOf, Duration.ZERO);
    }

    /**
     * As {@link #eventSources(Class, EventSourceContext, String, Function)}, and with a non-zero {@code referencedDebounce}
     * also a plain watch ({@link ReferencedConfigWatch}) that reconciles the readers of an unlabelled ConfigMap or Secret
     * that changed, once per {@code referencedDebounce}.
     */
    public static <P extends HasMetadata> List<EventSource<?, P>> eventSources(Class<P> primary, EventSourceContext<P> context,
                                                                               String labelSelector,
                                                                               Function<P, List<Reference>> referencesOf,
                                                                               Duration referencedDebounce) {
        List<EventSource<?, P>> sources = new ArrayList<>(labelled(primary, context, labelSelector, referencesOf));
        if (referencedDebounce != null && !referencedDebounce.isZero() && !referencedDebounce.isNegative()) {
            sources.add(ReferencedConfigWatch.configMaps(context, referencedDebounce));
            sources.add(ReferencedConfigWatch.secrets(context, referencedDebounce));
        }
        return sources;
    }

    private static <P extends HasMetadata> List<EventSource<?, P>> labelled(Class<P> primary, EventSourceContext<P> context,
                                                                            String labelSelector,
                                                                            Function<P, List<Reference>> referencesOf) {
        var primaries = context.getPrimaryCache();
        primaries.addIndexer(INDEX, p -> referencesOf.apply(p).stream()
                .filter(r -> r.name() != null && ("ConfigMap".equals(r.kind()) || "Secret".equals(r.kind())))
                .map(r -> key(r.kind(), p.getMetadata().getNamespace(), r.name()))
                .distinct().toList());
        return List.of(
                informer("ConfigMap", ConfigMap.class, primary, context, labelSelector,
                        (a, b) -> Objects.equals(a.getData(), b.getData()) && Objects.equals(a.getBinaryData(), b.getBinaryData())),
                informer("Secret", Secret.class, primary, context, labelSelector,
                        (a, b) -> Objects.equals(a.getData(), b.getData()) && Objects.equals(a.getStringData(), b.getStringData())));
    }

    static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    private static <R extends HasMetadata, P extends HasMetadata> EventSource<?, P> informer(
            String kind, Class<R> type, Class<P> primary, EventSourceContext<P> context, String labelSelector,
            BiPredicate<R, R> sameData) {
        var primaries = context.getPrimaryCache();
        var configuration = InformerEventSourceConfiguration.from(type, primary)
                .withName("watched-" + kind)
                .withLabelSelector(labelSelector == null || labelSelector.isBlank() ? DEFAULT_SELECTOR : labelSelector)
                .withSecondaryToPrimaryMapper(object -> primaries.byIndex(INDEX,
                                key(kind, object.getMetadata().getNamespace(), object.getMetadata().getName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withOnUpdateFilter((updated, old) -> !sameData.test(updated, old))
                .build();
        return new InformerEventSource<>(configuration, context);
    }
}
