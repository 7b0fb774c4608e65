package io.currents.helm.controller;

import io.currents.api.helm.v2.HelmRelease;
import io.currents.api.helm.v2.HelmReleaseStatus;
import io.currents.api.helm.v2.Snapshot;
import io.currents.api.helm.v2.TestHookStatus;
import io.currents.api.meta.ResourceInventory;
import io.currents.api.meta.ResourceRef;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.Ready;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a HelmRelease's status says of the release as Helm stored it: {@code status.history} (Flux's snapshots of the
 * newest versions), {@code status.inventory} (the objects of the newest manifest) and the TestSuccess condition
 * recovered from Helm's record of the test hooks.
 */
final class ReleaseStatus {

    private static final int MAX_STATUS_HISTORY = 5;

    private ReleaseStatus() {
    }

    /** Sets history, inventory and last release revision from Helm's storage. */
    static void record(HelmReleaseStatus status, ReleaseStorage storage) throws IOException {
        List<Snapshot> history = new ArrayList<>();
        for (StoredRelease r : storage.history()) {
            if (history.size() == MAX_STATUS_HISTORY) {
                break;
            }
            history.add(snapshot(r));
        }
        status.setHistory(history.isEmpty() ? null : history);
        status.setInventory(inventory(storage.latest().orElse(null)));
        history.stream().findFirst().ifPresent(s -> status.setLastReleaseRevision(s.getVersion()));
    }

    private static Snapshot snapshot(StoredRelease r) {
        Snapshot s = new Snapshot();
        s.setApiVersion("v1");
        s.setDigest(r.digest());
        s.setName(r.name());
        s.setNamespace(r.namespace());
        s.setVersion(r.version());
        s.setStatus(r.status());
        s.setChartName(r.chartName());
        s.setChartVersion(r.chartVersion());
        s.setAppVersion(r.appVersion());
        s.setConfigDigest(r.configDigest());
        s.setFirstDeployed(r.firstDeployed());
        s.setLastDeployed(r.lastDeployed());
        s.setDeleted(r.deleted());
        Map<String, TestHookStatus> hooks = new LinkedHashMap<>();
        for (StoredRelease.Hook hook : r.testHooks()) {
            if (hook.started() != null) {
                TestHookStatus h = new TestHookStatus();
                h.setLastStarted(hook.started());
                h.setLastCompleted(hook.completed());
                h.setPhase(hook.phase());
                hooks.put(hook.name(), h);
            }
        }
        s.setTestHooks(hooks.isEmpty() ? null : hooks);
        return s;
    }

    /** {@code status.inventory}: the objects of the newest release's manifest, as Flux lists them; none once uninstalled. */
    static ResourceInventory inventory(StoredRelease latest) throws IOException {
        if (latest == null || "uninstalled".equals(latest.status())) {
            return null;
        }
        List<ResourceRef> entries = new ArrayList<>();
        for (var object : DriftDetector.objects(latest)) {
            String apiVersion = object.getApiVersion();
            String version = apiVersion.contains("/") ? apiVersion.substring(apiVersion.indexOf('/') + 1) : apiVersion;
            String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
            String namespace = object.getMetadata().getNamespace() == null ? "" : object.getMetadata().getNamespace();
            entries.add(new ResourceRef(namespace + "_" + object.getMetadata().getName() + "_" + group + "_" + object.getKind(), version));
        }
        entries.sort(Comparator.comparing(ResourceRef::getId));
        ResourceInventory inventory = new ResourceInventory();
        inventory.setEntries(entries);
        return inventory;
    }

    /**
     * Sets TestSuccess from Helm's own record of the release's test hooks when the status has none: a reconcile that
     * started from a cached copy older than the last status write would otherwise call a release whose tests failed Ready.
     */
    static void restoreTestResult(Conditions conditions, StoredRelease latest, boolean ignoreTestFailures) {
        List<StoredRelease.Hook> hooks = latest.testHooks();
        if (hooks.isEmpty() || hooks.stream().anyMatch(h -> h.started() == null)
                || Conditions.find(conditions.list(), HelmRelease.TEST_SUCCESS_CONDITION).isPresent()) {
            return;
        }
        if (hooks.stream().anyMatch(h -> "Failed".equals(h.phase()))) {
            String message = "Helm test failed for release " + latest.fullName() + " with chart " + latest.chart();
            conditions.markFalse(HelmRelease.TEST_SUCCESS_CONDITION, HelmRelease.TEST_FAILED_REASON, message);
            if (!ignoreTestFailures) {
                conditions.markFalse(Conditions.READY, HelmRelease.TEST_FAILED_REASON, message);
            }
        } else {
            conditions.markTrue(HelmRelease.TEST_SUCCESS_CONDITION, HelmRelease.TEST_SUCCEEDED_REASON, "Helm test succeeded for release "
                    + latest.fullName() + " with chart " + latest.chart() + ": " + hooks.size() + " test hook"
                    + (hooks.size() == 1 ? "" : "s") + " completed successfully");
        }
    }
}
