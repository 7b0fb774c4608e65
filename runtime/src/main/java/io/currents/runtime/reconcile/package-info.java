/**
 * The reconcile every controller shares: {@link io.currents.runtime.reconcile.FluxReconciler} (the skeleton each
 * reconciler extends), its one failure type, the Ready outcome, the serial status patcher, Flux's conditions,
 * reconcile requests, requeue with jitter and backoff, metrics, and the watch of source artifacts.
 */
package io.currents.runtime.reconcile;
