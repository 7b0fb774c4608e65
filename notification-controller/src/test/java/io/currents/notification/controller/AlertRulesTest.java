package io.currents.notification.controller;

import io.currents.api.notification.v1.CrossNamespaceObjectReference;
import io.currents.api.notification.v1beta3.Alert;
import io.currents.api.notification.v1beta3.AlertSpec;
import io.currents.runtime.events.FluxEvent;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Which events an Alert takes, and what it adds to them, as Flux decides it. */
class AlertRulesTest {

    private static final AlertRules.Labels NO_LABELS = e -> Map.of();

    @Test
    void infoAlertsTakeEverySeverityErrorAlertsOnlyErrors() {
        Alert info = alert("apps", spec -> spec.setEventSources(List.of(source("Kustomization", "podinfo", null))));
        Alert errors = alert("apps", spec -> {
            spec.setEventSources(List.of(source("Kustomization", "podinfo", null)));
            spec.setEventSeverity("error");
        });
        assertThat(AlertRules.matches(info, event("info", "Kustomization", "podinfo", "apps", "ok"), false, NO_LABELS)).isTrue();
        assertThat(AlertRules.matches(info, event("error", "Kustomization", "podinfo", "apps", "bad"), false, NO_LABELS)).isTrue();
        assertThat(AlertRules.matches(errors, event("info", "Kustomization", "podinfo", "apps", "ok"), false, NO_LABELS)).isFalse();
        assertThat(AlertRules.matches(errors, event("error", "Kustomization", "podinfo", "apps", "bad"), false, NO_LABELS)).isTrue();
    }

    @Test
    void sourcesMatchKindNameAndNamespaceDefaultingToTheAlerts() {
        Alert alert = alert("apps", spec -> spec.setEventSources(List.of(source("Kustomization", "podinfo", null),
                source("GitRepository", "*", "flux-system"), source("HelmRelease", "front-*", null))));
        assertThat(AlertRules.matches(alert, event("info", "Kustomization", "podinfo", "apps", "m"), false, NO_LABELS)).isTrue();
        assertThat(AlertRules.matches(alert, event("info", "Kustomization", "podinfo", "other", "m"), false, NO_LABELS)).isFalse();
        assertThat(AlertRules.matches(alert, event("info", "Kustomization", "backend", "apps", "m"), false, NO_LABELS)).isFalse();
        assertThat(AlertRules.matches(alert, event("info", "HelmRelease", "podinfo", "apps", "m"), false, NO_LABELS)).isFalse();
        assertThat(AlertRules.matches(alert, event("info", "GitRepository", "anything", "flux-system", "m"), false, NO_LABELS)).isTrue();
        assertThat(AlertRules.matches(alert, event("info", "GitRepository", "anything", "apps", "m"), false, NO_LABELS)).isFalse();
        assertThat(AlertRules.matches(alert, event("info", "HelmRelease", "front-end", "apps", "m"), false, NO_LABELS)).isTrue();
        assertThat(AlertRules.matches(alert, event("info", "HelmRelease", "back-end", "apps", "m"), false, NO_LABELS)).isFalse();
    }

    @Test
    void crossNamespaceSourcesAreIgnoredWhenTheyAreForbidden() {
        Alert alert = alert("apps", spec -> spec.setEventSources(List.of(source("GitRepository", "*", "flux-system"))));
        assertThat(AlertRules.matches(alert, event("info", "GitRepository", "x", "flux-system", "m"), true, NO_LABELS)).isFalse();
    }

    @Test
    void wildcardWithMatchLabelsTakesOnlyObjectsCarryingTheLabels() {
        CrossNamespaceObjectReference labelled = source("Kustomization", "*", null);
        labelled.setMatchLabels(Map.of("team", "web"));
        Alert alert = alert("apps", spec -> spec.setEventSources(List.of(labelled)));
        FluxEvent e = event("info", "Kustomization", "podinfo", "apps", "m");
        assertThat(AlertRules.matches(alert, e, false, ev -> Map.of("team", "web", "tier", "1"))).isTrue();
        assertThat(AlertRules.matches(alert, e, false, ev -> Map.of("team", "db"))).isFalse();
        assertThat(AlertRules.matches(alert, e, false, ev -> null)).isFalse();
    }

    @Test
    void inclusionAndExclusionRegexesFilterOnTheMessage() {
        Alert alert = alert("apps", spec -> {
            spec.setEventSources(List.of(source("Kustomization", "*", null)));
            spec.setInclusionList(List.of(".*succeeded.*", "^Health"));
            spec.setExclusionList(List.of("no changes$", "[invalid"));
        });
        assertThat(AlertRules.matches(alert, event("info", "Kustomization", "a", "apps", "Reconciliation succeeded"), false, NO_LABELS)).isTrue();
        assertThat(AlertRules.matches(alert, event("info", "Kustomization", "a", "apps", "Health check passed"), false, NO_LABELS)).isTrue();
        assertThat(AlertRules.matches(alert, event("info", "Kustomization", "a", "apps", "Apply failed"), false, NO_LABELS)).isFalse();
        assertThat(AlertRules.matches(alert, event("info", "Kustomization", "a", "apps", "Reconciliation succeeded, no changes"), false, NO_LABELS)).isFalse();
    }

    @Test
    void suspendedAlertsTakeNothing() {
        Alert alert = alert("apps", spec -> {
            spec.setEventSources(List.of(source("Kustomization", "*", null)));
            spec.setSuspend(true);
        });
        assertThat(AlertRules.matches(alert, event("error", "Kustomization", "a", "apps", "m"), false, NO_LABELS)).isFalse();
    }

    @Test
    void eventMetadataAndSummaryAreAddedWithoutOverridingTheEmitter() {
        Alert alert = alert("apps", spec -> {
            spec.setEventSources(List.of(source("Kustomization", "*", null)));
            spec.setEventMetadata(Map.of("env", "prod", "revision", "from-alert"));
            spec.setSummary("Cluster addons impacted");
        });
        FluxEvent e = EventMetadata.withMetadata(event("info", "Kustomization", "a", "apps", "m"), Map.of("revision", "main@sha1:abc"));
        Map<String, List<String>> conflicts = new java.util.HashMap<>();
        assertThat(AlertRules.enrich(alert, e, conflicts::put).metadata()).containsEntry("env", "prod")
                .containsEntry("revision", "main@sha1:abc").containsEntry("summary", "Cluster addons impacted");
        assertThat(conflicts).containsOnlyKeys("revision");
    }

    @Test
    void annotationMetadataLosesToTheAlertWhichLosesToTheEmitter() {
        Alert alert = alert("apps", spec -> {
            spec.setEventSources(List.of(source("Kustomization", "*", null)));
            spec.setEventMetadata(Map.of("env", "from-alert", "team", "from-alert"));
        });
        FluxEvent e = EventMetadata.normalise(EventMetadata.withMetadata(event("info", "Kustomization", "a", "apps", "m"), Map.of(
                "event.toolkit.fluxcd.io/env", "from-annotation", "event.toolkit.fluxcd.io/change_request", "42",
                "kustomize.toolkit.fluxcd.io/team", "from-controller")));
        assertThat(AlertRules.enrich(alert, e, (k, v) -> { }).metadata()).containsOnly(Map.entry("env", "from-alert"),
                Map.entry("team", "from-controller"), Map.entry("change_request", "42"));
    }

    @Test
    void metadataKeysOfTheObjectsGroupLoseTheirPrefixEventGroupKeysStayOthersAreDropped() {
        FluxEvent e = EventMetadata.withMetadata(event("info", "Kustomization", "a", "apps", "m"), Map.of(
                "kustomize.toolkit.fluxcd.io/revision", "main@sha1:abc", "kustomize.toolkit.fluxcd.io/digest", "sha256:x",
                "helm.toolkit.fluxcd.io/other", "x", "commit_status", "update", "event.toolkit.fluxcd.io/deploymentID", "e076"));
        assertThat(EventMetadata.normalise(e).metadata()).containsOnly(Map.entry("revision", "main@sha1:abc"),
                Map.entry("commit_status", "update"), Map.entry("event.toolkit.fluxcd.io/deploymentID", "e076"));
    }

    private static Alert alert(String namespace, java.util.function.Consumer<AlertSpec> customize) {
        Alert alert = new Alert();
        alert.getMetadata().setName("alert");
        alert.getMetadata().setNamespace(namespace);
        AlertSpec spec = new AlertSpec();
        customize.accept(spec);
        alert.setSpec(spec);
        return alert;
    }

    private static CrossNamespaceObjectReference source(String kind, String name, String namespace) {
        CrossNamespaceObjectReference ref = new CrossNamespaceObjectReference();
        ref.setKind(kind);
        ref.setName(name);
        ref.setNamespace(namespace);
        return ref;
    }

    private static FluxEvent event(String severity, String kind, String name, String namespace, String message) {
        return new FluxEvent(new ObjectReferenceBuilder().withApiVersion(FluxKinds.apiVersionOf(kind)).withKind(kind)
                .withName(name).withNamespace(namespace).build(), severity, "2026-01-01T00:00:00Z", message, "Reason",
                Map.of(), "kustomize-controller", null);
    }
}
