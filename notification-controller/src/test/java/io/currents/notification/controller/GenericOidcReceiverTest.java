package io.currents.notification.controller;

import io.currents.api.notification.v1.OIDCProvider;
import io.currents.api.notification.v1.OIDCValidation;
import io.currents.api.notification.v1.OIDCVariable;
import io.currents.api.notification.v1.Receiver;
import io.currents.runtime.reconcile.Conditions;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static io.currents.notification.controller.RegistryAndCiReceiversTest.bearer;
import static io.currents.notification.controller.RegistryAndCiReceiversTest.with;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A generic-oidc Receiver has no Secret: a call carries an OIDC token of a configured issuer (discovered and verified:
 * signature, audience, expiry), whose claims must pass the provider's CEL validations and may select the objects
 * through the resource filter.
 */
@QuarkusTest
@QuarkusTestResource(value = NotificationControllerTestResource.class, restrictToAnnotatedClass = false)
class GenericOidcReceiverTest {

    @Inject
    NotificationObjects objects;
    @Inject
    ReceiverServer server;

    @Test
    void aTokenFromTheIssuerThatPassesTheValidationsAnnotatesWhatTheClaimsSelect() throws Exception {
        try (OidcIssuer ci = new OidcIssuer(new RecordingServer(), "/keys")) {
            ReceiverScenario r = new ReceiverScenario("oidc", objects, server, "frontend", "backend");
            String path = r.receiver("ci", Receiver.TYPE_GENERIC_OIDC, spec -> {
                OIDCProvider provider = new OIDCProvider();
                provider.setIssuerURL(ci.issuer);
                OIDCVariable repo = new OIDCVariable();
                repo.setName("repo");
                repo.setExpression("claims.repository.split('/')[1]");
                provider.setVariables(List.of(repo));
                OIDCValidation owner = new OIDCValidation();
                owner.setExpression("claims.repository.startsWith('acme/')");
                owner.setMessage("repository must belong to acme");
                OIDCValidation branch = new OIDCValidation();
                branch.setExpression("claims.ref == 'refs/heads/main'");
                branch.setMessage("only main may deploy");
                provider.setValidations(List.of(owner, branch));
                spec.setOidcProviders(List.of(provider));
                spec.setResources(List.of(ReceiverScenario.resource("frontend"), ReceiverScenario.resource("backend")));
                spec.setResourceFilter("res.metadata.name == claims.repository.split('/')[1]");
            });
            String expected = "/hook/" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(("ci" + r.s.namespace).getBytes(StandardCharsets.UTF_8)));
            assertThat(path).isEqualTo(expected);

            Map<String, Object> good = Map.of("iss", ci.issuer, "aud", "notification-controller", "sub", "repo:acme/frontend",
                    "repository", "acme/frontend", "ref", "refs/heads/main");
            assertThat(r.call(path, "{}", Map.of())).isEqualTo(400);
            assertThat(r.call(path, "{}", bearer(ci.token(with(good, "aud", "someone-else"))))).isEqualTo(400);
            assertThat(r.call(path, "{}", bearer(ci.token(with(good, "ref", "refs/heads/feature"))))).isEqualTo(400);
            assertThat(r.call(path, "{}", bearer(ci.token(with(good, "repository", "evil/frontend"))))).isEqualTo(400);
            assertThat(r.call(path, "{}", bearer(ci.token(with(good, "exp", System.currentTimeMillis() / 1000 - 60))))).isEqualTo(400);
            assertThat(r.call(path, "{}", bearer(OidcIssuer.forged(ci, good)))).isEqualTo(400);
            assertThat(r.call(path, "{}", bearer(ci.token(with(good, "iss", "https://unknown.example.com"))))).isEqualTo(400);
            assertThat(r.requestedAt("frontend")).isNull();

            assertThat(r.call(path, "{}", bearer(ci.token(good)))).isEqualTo(200);
            assertThat(r.requestedAt("frontend")).isNotNull();
            assertThat(r.requestedAt("backend")).isNull();
        }
    }

    @Test
    void aGenericOidcReceiverWithASecretStallsAsTheCrdRuleSays() {
        // the CRD states this rule in CEL, which API servers before 1.25 do not enforce: the controller does
        ReceiverScenario r = new ReceiverScenario("oidc-bad", objects, server, "app");
        r.create("no-validations", Receiver.TYPE_GENERIC_OIDC, spec -> {
            OIDCProvider provider = new OIDCProvider();
            provider.setIssuerURL("https://token.actions.githubusercontent.com");
            OIDCValidation any = new OIDCValidation();
            any.setExpression("true");
            any.setMessage("any");
            provider.setValidations(List.of(any));
            spec.setOidcProviders(List.of(provider));
            spec.setSecretRef(NotificationScenario.ref("token"));
            spec.setResources(List.of(ReceiverScenario.resource("app")));
        });
        NotificationScenario.await(() -> {
            Receiver current = r.get("no-validations");
            return current.getStatus() != null && Conditions.isTrue(current.getStatus().getConditions(), Conditions.STALLED);
        }, "the Receiver Stalled");
        var ready = Conditions.find(r.get("no-validations").getStatus().getConditions(), Conditions.READY).orElseThrow();
        assertThat(ready.getReason()).isEqualTo("ValidationFailed");
        assertThat(ready.getMessage()).contains("secretRef cannot be set when type is generic-oidc");
    }
}
