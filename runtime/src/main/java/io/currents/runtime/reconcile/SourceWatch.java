package io.currents.runtime.reconcile;

import io.currents.api.meta.Artifact;
import io.currents.api.source.v1.ArtifactSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;

import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The watch a consumer of artifacts (HelmChart, Kustomization, HelmRelease) keeps on a source kind: a new artifact
 * (revision or digest) of a source reconciles every object indexed under the source's key, and nothing else about
 * the source (its status conditions, its spec) does.
 */
public final class SourceWatch {

    private SourceWatch() {
    }

    /** A source's key in the consumers' index: {@code Kind/namespace/name}. */
    public static String key(String kind, String namespace, String name) {
        return kind + "/" + namespace + "/" + name;
    }

    /**
     * An informer on the source kind {@code type} that maps a source whose artifact changed to the primaries found
     * under {@link #key} in the primary cache's index {@code index}.
     */
    public static <S extends ArtifactSource, P extends HasMetadata> InformerEventSource<S, P> onNewArtifact(
            String kind, Class<S> type, Class<P> primary, String index, EventSourceContext<P> context) {
        var primaries = context.getPrimaryCache();
        var configuration = InformerEventSourceConfiguration.from(type, primary)
                .withName(kind)
                .withSecondaryToPrimaryMapper(source -> primaries.byIndex(index,
                                key(kind, source.getMetadata().getNamespace(), source.getMetadata().getName()))
                        .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
                .withOnUpdateFilter((updated, old) -> !Objects.equals(revisionOf(updated), revisionOf(old)))
                .build();
        return new InformerEventSource<>(configuration, context);
    }

    private static String revisionOf(ArtifactSource source) {
        Artifact a = source.getArtifact();
        return a == null ? null : a.getRevision() + "|" + a.getDigest();
    }
}
