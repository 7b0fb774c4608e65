package io.currents.helm.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.api.helm.v2.HelmReleaseSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * The HelmRelease fields a user set that this helm-controller does not act on (helm-java does not expose them, or
 * they are not built yet; docs/helm-controller.md), so that a Flux user learns it from an event instead of by surprise.
 */
final class UnappliedOptions {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Boolean switches that only matter when true. */
    private static final List<String> SWITCHES = List.of(
            "install.disableTakeOwnership",
            "upgrade.disableTakeOwnership", "rollback.disableWaitForJobs");

    /** Fields that change behaviour whenever they are set. */
    private static final List<String> SETTINGS = List.of(
            "install.serverSideApply", "upgrade.serverSideApply",
            "rollback.serverSideApply");

    private UnappliedOptions() {
    }

    /** The paths under spec of the options set but not applied, e.g. {@code install.disableHooks}; empty when none. */
    static List<String> of(HelmReleaseSpec spec) {
        JsonNode root = JSON.valueToTree(spec);
        List<String> found = new ArrayList<>();
        for (String path : SWITCHES) {
            if (at(root, path).asBoolean(false)) {
                found.add(path);
            }
        }
        for (String path : SETTINGS) {
            JsonNode value = at(root, path);
            if (!value.isMissingNode() && !value.isNull() && !(value.isContainerNode() && value.isEmpty())) {
                found.add(path);
            }
        }
        return found;
    }

    private static JsonNode at(JsonNode root, String path) {
        return root.at("/" + path.replace('.', '/'));
    }
}
