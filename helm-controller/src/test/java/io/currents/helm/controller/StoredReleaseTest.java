package io.currents.helm.controller;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Decoding Helm's release records: Secret data (base64) of base64 of gzip of the release JSON. */
class StoredReleaseTest {

    static String secretValue(String releaseJson) throws Exception {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(releaseJson.getBytes(StandardCharsets.UTF_8));
        }
        byte[] helmEncoded = Base64.getEncoder().encode(gz.toByteArray());
        return Base64.getEncoder().encodeToString(helmEncoded);
    }

    @Test
    void aReleaseRecordDecodesToItsChartValuesManifestAndHooks() throws Exception {
        String json = """
                {"name":"web","namespace":"apps","version":3,
                 "info":{"status":"deployed","first_deployed":"2026-01-01T10:00:00Z","last_deployed":"2026-01-02T10:00:00Z",
                         "deleted":"0001-01-01T00:00:00Z"},
                 "chart":{"metadata":{"name":"demo","version":"1.2.3","appVersion":"9"},"values":{"greeting":"hello"}},
                 "config":{"greeting":"hi"},
                 "manifest":"---\\napiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: web-config\\n",
                 "hooks":[{"name":"web-test","kind":"Pod","events":["test"],"manifest":"kind: Pod",
                           "last_run":{"started_at":"2026-01-02T10:01:00Z","completed_at":"2026-01-02T10:01:05Z","phase":"Succeeded"}}]}
                """;
        StoredRelease r = StoredRelease.decode(secretValue(json));
        assertThat(r.fullName()).isEqualTo("apps/web.v3");
        assertThat(r.chart()).isEqualTo("demo@1.2.3");
        assertThat(r.appVersion()).isEqualTo("9");
        assertThat(r.isDeployed()).isTrue();
        assertThat(r.deleted()).isNull();
        assertThat(r.firstDeployed()).isEqualTo("2026-01-01T10:00:00Z");
        assertThat(r.config().path("greeting").asText()).isEqualTo("hi");
        assertThat(r.chartValues().path("greeting").asText()).isEqualTo("hello");
        assertThat(r.configDigest()).isEqualTo(ReleaseValues.digest(r.config()));
        assertThat(r.testHooks()).singleElement().satisfies(h -> {
            assertThat(h.name()).isEqualTo("web-test");
            assertThat(h.phase()).isEqualTo("Succeeded");
        });
        assertThat(r.digest()).startsWith("sha256:");
        assertThat(DriftDetector.objects(r)).singleElement().satisfies(o -> {
            assertThat(o.getKind()).isEqualTo("ConfigMap");
            assertThat(o.getMetadata().getNamespace()).isEqualTo("apps");
        });
    }

    @Test
    void theDigestIsFluxsDigestOfItsObservationWithoutTestHooks() throws Exception {
        String info = "{\"first_deployed\":\"2026-01-01T10:00:00Z\",\"last_deployed\":\"2026-01-01T10:00:00Z\","
                + "\"deleted\":\"0001-01-01T00:00:00Z\",\"description\":\"Install complete\",\"status\":\"deployed\"}";
        String metadata = "{\"name\":\"demo\",\"version\":\"1.0.0\",\"apiVersion\":\"v2\"}";
        String preInstall = "{\"name\":\"migrate\",\"kind\":\"Job\",\"path\":\"demo/templates/job.yaml\",\"manifest\":\"kind: Job\","
                + "\"events\":[\"pre-install\"],\"last_run\":{\"started_at\":\"2026-01-01T10:00:00Z\",\"phase\":\"Succeeded\"}}";
        String test = "{\"name\":\"t\",\"kind\":\"Pod\",\"events\":[\"test\"],\"last_run\":{\"phase\":\"%s\"}}";
        String record = "{\"name\":\"web\",\"info\":" + info + ",\"chart\":{\"metadata\":" + metadata + ",\"values\":{}},"
                + "\"config\":{\"a\":\"<b&c>\"},\"manifest\":\"kind: ConfigMap\\n\",\"hooks\":[" + preInstall + ","
                + test + "],\"version\":1,\"namespace\":\"apps\"}";
        // What Go's json.Encoder writes for Flux's Observation of that release (HTML escaped, newline at the end).
        String expected = "{\"name\":\"web\",\"version\":1,\"info\":" + info + ",\"chartMetadata\":" + metadata
                + ",\"config\":{\"a\":\"\\u003cb\\u0026c\\u003e\"},\"manifest\":\"kind: ConfigMap\\n\",\"hooks\":[" + preInstall
                + "],\"namespace\":\"apps\"}\n";
        StoredRelease passed = StoredRelease.decode(secretValue(record.formatted("Succeeded")));
        assertThat(passed.digest()).isEqualTo("sha256:" + StoredRelease.sha256(expected.getBytes(StandardCharsets.UTF_8)));
        // A test run changes the record but not the digest, as in Flux (manual test runs do not make the release drift).
        assertThat(StoredRelease.decode(secretValue(record.formatted("Failed"))).digest()).isEqualTo(passed.digest());
    }
}
