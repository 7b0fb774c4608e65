package io.currents.sourcewatcher;

import io.currents.api.source.extensions.v1beta1.ArtifactGenerator;
import io.currents.api.source.extensions.v1beta1.OutputArtifact;
import io.currents.api.source.extensions.v1beta1.SourceReference;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What the API server cannot check about an ArtifactGenerator and source-watcher refuses at once (a terminal error,
 * {@code Stalled}): duplicate aliases and artifact names, artifact names that are not object names (without a
 * path pattern), a revision naming no alias, and, with {@code no-cross-namespace-refs}, sources in other namespaces.
 */
final class GeneratorValidation {

    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

    /** A refused spec: the reason ({@code ValidationFailed} or {@code AccessDenied}) and the message. */
    record Refusal(String reason, String message) {
    }

    private GeneratorValidation() {
    }

    /** The first problem of the spec, or null when it is valid. */
    static Refusal check(ArtifactGenerator generator, boolean noCrossNamespaceRefs) {
        Set<String> aliases = new HashSet<>();
        for (SourceReference src : generator.getSpec().getSources()) {
            if (!aliases.add(src.getAlias())) {
                return new Refusal(ArtifactGenerator.VALIDATION_FAILED_REASON, "duplicate source alias '" + src.getAlias() + "' found");
            }
            if (noCrossNamespaceRefs && src.getNamespace() != null && !src.getNamespace().isEmpty()
                    && !src.getNamespace().equals(generator.getMetadata().getNamespace())) {
                return new Refusal(ArtifactGenerator.ACCESS_DENIED_REASON, "cross-namespace reference to source " + src.getKind() + "/"
                        + src.getNamespace() + "/" + src.getName() + " is not allowed");
            }
        }
        Set<String> names = new HashSet<>();
        boolean templated = generator.getSpec().getPathPattern() != null && !generator.getSpec().getPathPattern().isEmpty();
        for (OutputArtifact artifact : generator.getSpec().getArtifacts()) {
            if (!names.add(artifact.getName())) {
                return new Refusal(ArtifactGenerator.VALIDATION_FAILED_REASON, "duplicate artifact name '" + artifact.getName() + "' found");
            }
            if (!templated && (artifact.getName().length() > 253 || !DNS_SUBDOMAIN.matcher(artifact.getName()).matches())) {
                return new Refusal(ArtifactGenerator.VALIDATION_FAILED_REASON, "artifact name \"" + artifact.getName()
                        + "\" is not a valid Kubernetes object name: a lowercase RFC 1123 subdomain must consist of lower case"
                        + " alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");
            }
            if (artifact.getRevision() != null && !artifact.getRevision().isEmpty()
                    && !aliases.contains(artifact.getRevision().replaceFirst("^@", ""))) {
                return new Refusal(ArtifactGenerator.VALIDATION_FAILED_REASON, "artifact " + artifact.getName()
                        + " revision source alias '" + artifact.getRevision().replaceFirst("^@", "") + "' not found");
            }
        }
        return null;
    }
}
