package io.currents.kustomization;

import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.kustomize.v1.KustomizationStatus;
import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.OCIRepository;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The Flux API types this controller binds with Jackson (its Kustomizations and the sources it reads), with every type
 * their fields reach, registered for reflection in a native image (docs/images.md, "Native images"). Nothing in JVM mode.
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        Kustomization.class, KustomizationStatus.class, GitRepository.class, OCIRepository.class, Bucket.class})
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
