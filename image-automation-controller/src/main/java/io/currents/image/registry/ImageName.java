package io.currents.image.registry;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An image repository name as Flux reads {@code spec.image}: registry host (Docker Hub when there
 * is none, {@code library/} for its official images) and repository path, without tag or digest.
 */
public record ImageName(String registry, String repository) {

    public static final String DOCKER_HUB = "index.docker.io";
    private static final Pattern REPOSITORY = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");

    /** Parses {@code spec.image}; throws IllegalArgumentException with a message a user can act on. */
    public static ImageName parse(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException(".spec.image is empty");
        }
        String s = image.trim();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            throw new IllegalArgumentException(".spec.image value should not start with URL scheme; remove '" + s.substring(0, scheme) + "://'");
        }
        String registry = DOCKER_HUB;
        String rest = s;
        int slash = s.indexOf('/');
        if (slash > 0) {
            String first = s.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || !first.equals(first.toLowerCase(Locale.ROOT))) {
                registry = first.equals("docker.io") ? DOCKER_HUB : first;
                rest = s.substring(slash + 1);
            }
        }
        int at = rest.indexOf('@');
        if (at >= 0) {
            throw new IllegalArgumentException(".spec.image value should not contain a digest; remove '" + rest.substring(at) + "'");
        }
        int colon = rest.indexOf(':');
        if (colon >= 0) {
            throw new IllegalArgumentException(".spec.image value should not contain a tag; remove ':" + rest.substring(colon + 1) + "'");
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        if (!REPOSITORY.matcher(rest).matches()) {
            throw new IllegalArgumentException("invalid image name '" + image + "': a repository is lowercase letters, digits and separators (. _ - /)");
        }
        return new ImageName(registry, rest);
    }

    /** {@code registry/repository}, Flux's {@code status.canonicalImageName}. */
    public String canonical() {
        return registry + "/" + repository;
    }

    /** Registries on the loopback interface are spoken to over plain HTTP, as go-containerregistry does. */
    public boolean isLoopback() {
        String host = registry.startsWith("[") ? registry.substring(0, registry.indexOf(']') + 1)
                : registry.contains(":") ? registry.substring(0, registry.lastIndexOf(':')) : registry;
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("[::1]") || host.endsWith(".localhost");
    }

    @Override
    public String toString() {
        return canonical();
    }
}
