package io.currents.kustomize;

/**
 * A notice kustomize v5.5 prints to stderr during a build without failing it, in kustomize's words.
 *
 * @param message the text kustomize prints, without a line break
 * @param logged  whether kustomize prints it through Go's {@code log} package (the standalone binary puts a
 *                {@code yyyy/MM/dd HH:mm:ss } prefix before it, kubectl its klog header) rather than as a
 *                plain line, as it does for the deprecated-field notices
 */
public record BuildWarning(String message, boolean logged) {
}
