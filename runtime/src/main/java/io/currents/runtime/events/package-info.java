/** Flux's events: the Kubernetes Event on the object and the same event as Flux's JSON posted to notification-controller. */
package io.currents.runtime.events;
