package io.currents.kustomization;

import io.currents.testkit.ControlPlaneTestResource;

/** Runs the kustomize-controller under test against the shared control plane (etcd, kube-apiserver, kube-controller-manager). */
public class KustomizeControllerTestResource extends ControlPlaneTestResource {
}
