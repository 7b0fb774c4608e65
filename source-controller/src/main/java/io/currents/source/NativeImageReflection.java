package io.currents.source;

import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.GitRepository;
import io.currents.api.source.v1.HelmChart;
import io.currents.api.source.v1.HelmRepository;
import io.currents.api.source.v1.OCIRepository;
import io.quarkus.runtime.annotations.RegisterForReflection;

/**
 * The Flux API types this controller binds with Jackson, with every type their fields reach (spec, status, conditions,
 * artifacts), registered for reflection in a native image (docs/images.md, "Native images"). Nothing in JVM mode.
 */
@RegisterForReflection(registerFullHierarchy = true, targets = {
        GitRepository.class, HelmRepository.class, HelmChart.class, OCIRepository.class, Bucket.class})
final class NativeImageReflection {

    private NativeImageReflection() {
    }
}
