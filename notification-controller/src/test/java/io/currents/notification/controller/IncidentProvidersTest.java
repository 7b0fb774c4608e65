package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import io.currents.api.notification.v1beta3.Alert;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.currents.notification.controller.NotificationScenario.ref;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Incident and observability services (Opsgenie, Alertmanager, Grafana, PagerDuty, DataDog, Sentry, OpenTelemetry) get
 * the event in their APIs' shapes, with their authentication, checked by a loopback server playing the service.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class IncidentProvidersTest {

    private static final String REVISION = "main@sha1:8c6b1f2e0d3a4b5c6d7e8f9a0b1c2d3e4f5a6b7c";
    private static final String TIMESTAMP = "2026-03-01T10:15:30Z";

    @Inject
    NotificationObjects objects;

    private static void post(NotificationScenario s, String severity, String reason, String message, Map<String, String> metadata) {
        var e = s.event("Kustomization", "apps", severity, reason, message, metadata);
        s.post(new io.currents.runtime.events.FluxEvent(e.involvedObject(), e.severity(), TIMESTAMP, e.message(), e.reason(), e.metadata(),
                e.reportingController(), e.reportingInstance()));
    }

    @Test
    void opsgenieGetsAnAlertWithTheGenieKey() {
        NotificationScenario s = new NotificationScenario("opsgenie", objects);
        try (RecordingServer opsgenie = new RecordingServer()) {
            opsgenie.answerWith(202, "{\"result\":\"Request will be processed\"}");
            s.secret("opsgenie", Map.of("token", "genie-key"));
            s.route("opsgenie", Notifiers.OPSGENIE, opsgenie.url("/v2/alerts"), spec -> spec.setSecretRef(ref("opsgenie")));
            post(s, "error", "HealthCheckFailed", "health check failed", Map.of("revision", REVISION));

            RecordingServer.Request request = opsgenie.await("POST", "/v2/alerts");
            assertThat(request.header("Authorization")).isEqualTo("GenieKey genie-key");
            JsonNode body = request.json();
            assertThat(body.path("message").asText()).isEqualTo("Kustomization/apps");
            assertThat(body.path("description").asText()).isEqualTo("health check failed");
            assertThat(body.path("details").path("revision").asText()).isEqualTo(REVISION);
            assertThat(body.path("details").path("severity").asText()).isEqualTo("error");
        }
    }

    @Test
    void alertmanagerGetsAFiringAlertWithLabelsAndAnnotationsAndBasicAuth() {
        NotificationScenario s = new NotificationScenario("alertmanager", objects);
        try (RecordingServer alertmanager = new RecordingServer()) {
            s.secret("am", Map.of("username", "flux", "password", "s3cret"));
            s.provider("am", Notifiers.ALERTMANAGER, alertmanager.url("/api/v2/alerts"), spec -> spec.setSecretRef(ref("am")));
            s.alert("am", "am", List.of(NotificationScenario.source("Kustomization", "*")), spec -> spec.setSummary("Cluster addons impacted"));
            post(s, "error", "HealthCheckFailed", "health check failed", Map.of("revision", REVISION));

            RecordingServer.Request request = alertmanager.await("POST", "/api/v2/alerts");
            assertThat(request.header("Authorization")).isEqualTo(Delivery.basic("flux", "s3cret"));
            JsonNode alert = request.json().get(0);
            assertThat(alert.path("status").asText()).isEqualTo("firing");
            assertThat(alert.path("startsAt").asText()).isEqualTo(TIMESTAMP);
            assertThat(alert.path("labels").path("alertname").asText()).isEqualTo("FluxKustomizationHealthcheckfailed");
            assertThat(alert.path("labels").path("severity").asText()).isEqualTo("error");
            assertThat(alert.path("labels").path("reason").asText()).isEqualTo("HealthCheckFailed");
            assertThat(alert.path("labels").path("kind").asText()).isEqualTo("Kustomization");
            assertThat(alert.path("labels").path("name").asText()).isEqualTo("apps");
            assertThat(alert.path("labels").path("namespace").asText()).isEqualTo(s.namespace);
            assertThat(alert.path("labels").path("revision").asText()).isEqualTo(REVISION);
            assertThat(alert.path("labels").has("summary")).isFalse();
            assertThat(alert.path("annotations").path("message").asText()).isEqualTo("health check failed");
            assertThat(alert.path("annotations").path("summary").asText()).isEqualTo("Cluster addons impacted");
        }
    }

    @Test
    void grafanaGetsAnAnnotationTaggedWithFluxTheControllerAndTheObject() {
        NotificationScenario s = new NotificationScenario("grafana", objects);
        try (RecordingServer grafana = new RecordingServer()) {
            s.secret("grafana", Map.of("token", "glsa_token", "username", "admin", "password", "admin"));
            s.route("grafana", Notifiers.GRAFANA, grafana.url("/api/annotations"), spec -> spec.setSecretRef(ref("grafana")));
            post(s, "info", "ReconciliationSucceeded", "applied", Map.of("revision", REVISION));

            RecordingServer.Request request = grafana.await("POST", "/api/annotations");
            assertThat(request.header("Authorization")).isEqualTo("Bearer glsa_token");
            JsonNode body = request.json();
            assertThat(body.path("when").asLong()).isEqualTo(java.time.Instant.parse(TIMESTAMP).getEpochSecond());
            assertThat(body.path("text").asText()).isEqualTo("kustomization/apps." + s.namespace);
            assertThat(body.path("tags").findValuesAsText("")).isEmpty();
            List<String> tags = new java.util.ArrayList<>();
            body.path("tags").forEach(t -> tags.add(t.asText()));
            assertThat(tags).containsExactly("flux", "kustomize-controller", "revision: main@sha1|" + REVISION.substring(10),
                    "kind: Kustomization", "name: apps", "namespace: " + s.namespace);
        }
    }

    @Test
    void pagerDutyTriggersOnErrorsResolvesOnInfoAndRecordsChanges() {
        NotificationScenario s = new NotificationScenario("pagerduty", objects);
        try (RecordingServer pagerduty = new RecordingServer()) {
            pagerduty.answerWith(202, "{\"status\":\"success\"}");
            s.route("pd", Notifiers.PAGERDUTY, pagerduty.url("/ignored"), spec -> spec.setChannel("routing-key-1"));
            post(s, "error", "HealthCheckFailed", "health check failed", Map.of("revision", REVISION));

            JsonNode trigger = pagerduty.await("POST", "/v2/enqueue").json();
            assertThat(trigger.path("routing_key").asText()).isEqualTo("routing-key-1");
            assertThat(trigger.path("event_action").asText()).isEqualTo("trigger");
            assertThat(trigger.path("dedup_key").asText()).isEqualTo("0c9c2e41-aaaa-bbbb-cccc-000000000001");
            assertThat(trigger.path("payload").path("summary").asText()).isEqualTo("health check failed: kustomization/apps");
            assertThat(trigger.path("payload").path("source").asText()).isEqualTo("Flux kustomize-controller");
            assertThat(trigger.path("payload").path("severity").asText()).isEqualTo("error");
            assertThat(trigger.path("payload").path("timestamp").asText()).isEqualTo(TIMESTAMP);
            assertThat(trigger.path("payload").path("component").asText()).isEqualTo("apps");
            assertThat(trigger.path("payload").path("group").asText()).isEqualTo("Kustomization");
            assertThat(trigger.path("payload").path("custom_details").path("message").asText()).isEqualTo("health check failed");
            assertThat(trigger.path("payload").path("custom_details").path("metadata").path("revision").asText()).isEqualTo(REVISION);

            post(s, "info", "ReconciliationSucceeded", "applied", Map.of("revision", REVISION));
            pagerduty.await(2, r -> r.path().equals("/v2/enqueue"), NotificationScenario.TIMEOUT);
            JsonNode resolve = pagerduty.requests().stream().filter(r -> r.path().equals("/v2/enqueue")).toList().get(1).json();
            assertThat(resolve.path("event_action").asText()).isEqualTo("resolve");
            assertThat(resolve.has("payload")).isFalse();
            JsonNode change = pagerduty.await("POST", "/v2/change/enqueue").json();
            assertThat(change.path("routing_key").asText()).isEqualTo("routing-key-1");
            assertThat(change.path("payload").path("summary").asText()).isEqualTo("reconciliation succeeded: kustomization/apps");
            assertThat(change.path("payload").path("custom_details").path("message").asText()).isEqualTo("applied");
        }
    }

    @Test
    void dataDogGetsAnEventWithTheApiKeyAndLowerCaseTags() {
        NotificationScenario s = new NotificationScenario("datadog", objects);
        try (RecordingServer datadog = new RecordingServer()) {
            datadog.answerWith(202, "{\"status\":\"ok\"}");
            s.secret("dd", Map.of("token", "dd-api-key"));
            s.route("dd", Notifiers.DATADOG, datadog.url(""), spec -> spec.setSecretRef(ref("dd")));
            post(s, "error", "HealthCheckFailed", "health check failed", Map.of("Env", "Prod"));

            RecordingServer.Request request = datadog.await("POST", "/api/v1/events");
            assertThat(request.header("DD-API-KEY")).isEqualTo("dd-api-key");
            JsonNode body = request.json();
            assertThat(body.path("title").asText()).isEqualTo("Events from the Kustomization apps/" + s.namespace);
            assertThat(body.path("text").asText()).isEqualTo("health check failed");
            assertThat(body.path("alert_type").asText()).isEqualTo("error");
            assertThat(body.path("source_type_name").asText()).isEqualTo("fluxcd");
            assertThat(body.path("date_happened").asLong()).isEqualTo(java.time.Instant.parse(TIMESTAMP).getEpochSecond());
            List<String> tags = new java.util.ArrayList<>();
            body.path("tags").forEach(t -> tags.add(t.asText()));
            assertThat(tags).containsExactly("flux_reporting_controller:kustomize-controller", "flux_reason:healthcheckfailed",
                    "kube_kind:kustomization", "kube_name:apps", "kube_namespace:" + s.namespace, "env:prod");
        }
    }

    @Test
    void sentryGetsAnErrorEventInAnEnvelopeWithTheDsnsKey() {
        NotificationScenario s = new NotificationScenario("sentry", objects);
        try (RecordingServer sentry = new RecordingServer()) {
            sentry.answerWith(200, "{\"id\":\"1\"}");
            s.secret("sentry", Map.of("address", "http://publickey@127.0.0.1:" + sentry.port() + "/42"));
            s.route("sentry", Notifiers.SENTRY, null, spec -> {
                spec.setChannel("staging");
                spec.setSecretRef(ref("sentry"));
            });
            post(s, "error", "HealthCheckFailed", "health check failed", Map.of("revision", REVISION));

            RecordingServer.Request request = sentry.await("POST", "/api/42/envelope/");
            assertThat(request.header("X-Sentry-Auth")).startsWith("Sentry sentry_version=7").contains("sentry_key=publickey");
            String[] lines = request.text().split("\n");
            JsonNode itemHeader = NotificationScenario.JSON.valueToTree(parse(lines[1]));
            JsonNode event = NotificationScenario.JSON.valueToTree(parse(lines[2]));
            assertThat(itemHeader.path("type").asText()).isEqualTo("event");
            assertThat(event.path("level").asText()).isEqualTo("error");
            assertThat(event.path("message").asText()).isEqualTo("health check failed");
            assertThat(event.path("server_name").asText()).isEqualTo("kustomize-controller");
            assertThat(event.path("transaction").asText()).isEqualTo("Kustomization: " + s.namespace + "/apps");
            assertThat(event.path("environment").asText()).isEqualTo("staging");
            assertThat(event.path("contexts").path("metadata").path("revision").asText()).isEqualTo(REVISION);
        }
    }

    @Test
    void otelGetsASpanInATraceOfTheAlertAndRevision() {
        NotificationScenario s = new NotificationScenario("otel", objects);
        try (RecordingServer collector = new RecordingServer()) {
            s.secret("otel", Map.of("username", "collector", "password", "pass", "headers", "X-Scope-OrgID: tenant-1\n"));
            s.provider("otel", Notifiers.OTEL, collector.url("/v1/traces"), spec -> spec.setSecretRef(ref("otel")));
            Alert alert = s.alert("otel", "otel", List.of(NotificationScenario.source("Kustomization", "*")), spec -> { });
            post(s, "error", "HealthCheckFailed", "health check failed", Map.of("revision", REVISION));

            RecordingServer.Request request = collector.await("POST", "/v1/traces");
            assertThat(request.header("Content-Type")).isEqualTo("application/json");
            assertThat(request.header("Authorization")).isEqualTo(Delivery.basic("collector", "pass"));
            assertThat(request.header("X-Scope-OrgID")).isEqualTo("tenant-1");
            JsonNode resourceSpans = request.json().path("resourceSpans").get(0);
            assertThat(attributes(resourceSpans.path("resource").path("attributes"))).containsEntry("service.name", s.namespace + "/otel")
                    .containsEntry("service.namespace", s.namespace).containsEntry("service.instance.id", alert.getMetadata().getUid());
            JsonNode span = resourceSpans.path("scopeSpans").get(0).path("spans").get(0);
            assertThat(span.path("name").asText()).isEqualTo("Kustomization: " + s.namespace + "/apps");
            assertThat(span.path("traceId").asText()).isEqualTo(OtelTrace.traceId(alert.getMetadata().getUid(), REVISION));
            assertThat(span.path("traceId").asText()).hasSize(32);
            HexFormat.of().parseHex(span.path("spanId").asText());
            assertThat(span.path("startTimeUnixNano").asText()).isEqualTo(java.time.Instant.parse(TIMESTAMP).getEpochSecond() + "000000000");
            assertThat(span.path("status").path("code").asInt()).isEqualTo(2);
            assertThat(span.path("status").path("message").asText()).isEqualTo("health check failed");
            assertThat(attributes(span.path("attributes"))).containsEntry("object.kind", "Kustomization")
                    .containsEntry("object.name", "apps").containsEntry("object.namespace", s.namespace).containsEntry("revision", REVISION);
        }
    }

    private static Map<String, String> attributes(JsonNode list) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        list.forEach(a -> out.put(a.path("key").asText(), a.path("value").path("stringValue").asText()));
        return out;
    }

    private static Object parse(String json) {
        try {
            return NotificationScenario.JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
