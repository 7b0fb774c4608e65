package io.currents.notification.controller;

import io.fabric8.kubernetes.client.KubernetesClientException;

/** A short, secret-free description of a failed API server call. */
final class ApiErrors {

    private ApiErrors() {
    }

    static String describe(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return e.getStatus().getMessage();
        }
        return e.getCode() > 0 ? "API server answered " + e.getCode() : "API server unreachable";
    }
}
