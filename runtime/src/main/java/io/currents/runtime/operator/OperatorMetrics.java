package io.currents.runtime.operator;

import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/**
 * The operator SDK's own metrics (reconciliations, queue, events) without its per-resource series. Flux's per-object
 * metrics are {@code gotk_*} ({@link io.currents.runtime.reconcile.ReconcileMetrics}); the SDK's per-resource timers and counters
 * would add several kilobytes of heap per object (megabytes at a thousand Kustomizations) for series Flux does not have.
 */
@Singleton
public class OperatorMetrics {

    @Produces
    @Singleton
    Metrics operatorMetrics(MeterRegistry registry) {
        return MicrometerMetrics.withoutPerResourceMetrics(registry);
    }
}
