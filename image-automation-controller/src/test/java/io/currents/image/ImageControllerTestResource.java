package io.currents.image;

import io.currents.testkit.ControlPlaneTestResource;

/** Runs the image-automation-controller under test against the shared control plane. */
public class ImageControllerTestResource extends ControlPlaneTestResource {
}
