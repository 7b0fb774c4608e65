/**
 * Building a Kustomization's manifests from an unpacked artifact, as kustomize-controller does: the {@code spec.path}
 * rule, the spec overlay onto the kustomization file, SOPS decryption, post-build substitution, object defaults, and
 * the reasons a Kustomization's conditions give. Shared by kustomize-controller and the CLI's build and diff.
 */
package io.currents.runtime.manifests;
