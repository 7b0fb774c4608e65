package io.currents.helm.controller;

import io.currents.testkit.ControlPlaneTestResource;

/** Runs the helm-controller under test against the shared control plane (etcd, kube-apiserver, kube-controller-manager). */
public class HelmControllerTestResource extends ControlPlaneTestResource {
}
