package io.currents.image;

import io.currents.api.image.v1.ImagePolicy;
import io.currents.api.image.v1.ImageRepository;
import io.currents.api.image.v1.ImageUpdateAutomation;
import io.currents.api.source.v1.GitRepository;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The Flux API types this controller binds with Jackson (its image kinds and the GitRepositories it pushes to), with
 * every type their fields reach, registered for reflection in a native image (docs/images.md, "Native images").
 * Nothing in JVM mode.
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        ImageRepository.class, ImagePolicy.class, ImageUpdateAutomation.class, GitRepository.class})
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
