package io.currents.notification.controller;

import io.currents.api.notification.v1.OIDCProvider;
import io.currents.api.notification.v1.OIDCValidation;
import io.currents.api.notification.v1.OIDCVariable;
import io.currents.api.notification.v1.Receiver;
import io.currents.api.notification.v1.ReceiverResource;
import io.currents.api.notification.v1.ReceiverSpec;
import io.currents.runtime.cel.CelException;
import io.currents.runtime.cel.CelExpression;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a Receiver's spec must satisfy before its webhook is served, checked as Flux's reconciler checks it: the CEL of
 * {@code resourceFilter} and each {@code resources[].filter} compiles (reason {@code InvalidCELExpression}); the
 * generic-oidc rules the CRD states (oidcProviders only, and always, for generic-oidc; no secretRef for it, a
 * secretRef for every other type), each provider with an http(s) issuer, unique, and at least one validation (reason
 * {@code ValidationFailed}); its variables and validations compile. Also evaluates a provider's claims checks.
 */
final class ReceiverChecks {

    static final String DEFAULT_OIDC_AUDIENCE = "notification-controller";
    static final String INVALID_CEL_EXPRESSION_REASON = "InvalidCELExpression";

    /** A spec the Receiver cannot serve until it is changed: the reason and the message of its Stalled condition. */
    static final class InvalidSpec extends Exception {
        final String reason;

        InvalidSpec(String reason, String message) {
            super("Reconciliation failed terminally due to configuration error: " + message);
            this.reason = reason;
        }
    }

    private ReceiverChecks() {
    }

    static void check(Receiver receiver) throws InvalidSpec {
        ReceiverSpec spec = receiver.getSpec();
        boolean oidc = Receiver.TYPE_GENERIC_OIDC.equals(spec.getType());
        String[] filterVariables = oidc ? new String[]{"res", "req", "claims"} : new String[]{"res", "req"};
        if (spec.getResourceFilter() != null && !spec.getResourceFilter().isEmpty()) {
            try {
                CelExpression.compile(spec.getResourceFilter(), CelExpression.Result.BOOL, filterVariables);
            } catch (CelException e) {
                throw new InvalidSpec(INVALID_CEL_EXPRESSION_REASON, "invalid resourceFilter expression: " + e.getMessage());
            }
        }
        List<ReceiverResource> resources = spec.getResources() == null ? List.of() : spec.getResources();
        for (int i = 0; i < resources.size(); i++) {
            ReceiverResource r = resources.get(i);
            if (r.getFilter() == null || r.getFilter().isEmpty()) {
                continue;
            }
            try {
                CelExpression.compile(r.getFilter(), CelExpression.Result.BOOL, filterVariables);
            } catch (CelException e) {
                throw new InvalidSpec(INVALID_CEL_EXPRESSION_REASON, "invalid filter expression for resources[" + i + "] (kind=\""
                        + r.getKind() + "\", name=\"" + r.getName() + "\"): " + e.getMessage());
            }
        }
        List<OIDCProvider> providers = spec.getOidcProviders() == null ? List.of() : spec.getOidcProviders();
        if (oidc && providers.isEmpty()) {
            throw new InvalidSpec(Receiver.VALIDATION_FAILED_REASON, "generic-oidc receiver requires at least one oidcProvider");
        }
        if (!oidc && !providers.isEmpty()) {
            throw new InvalidSpec(Receiver.VALIDATION_FAILED_REASON, "oidcProviders can only be set when type is generic-oidc");
        }
        if (oidc && spec.getSecretRef() != null) {
            throw new InvalidSpec(Receiver.VALIDATION_FAILED_REASON, "secretRef cannot be set when type is generic-oidc");
        }
        if (!oidc && spec.getSecretRef() == null) {
            throw new InvalidSpec(Receiver.VALIDATION_FAILED_REASON, "secretRef is required when type is not generic-oidc");
        }
        Set<String> issuers = new HashSet<>();
        for (int i = 0; i < providers.size(); i++) {
            OIDCProvider p = providers.get(i);
            String at = "oidcProviders[" + i + "]";
            if (p.getIssuerURL() == null || p.getIssuerURL().isEmpty()) {
                throw new InvalidSpec(Receiver.VALIDATION_FAILED_REASON, at + ": issuerURL is required");
            }
            String issuer = p.getIssuerURL();
            if (!issuer.startsWith("http://") && !issuer.startsWith("https://")) {
                throw new InvalidSpec(Receiver.VALIDATION_FAILED_REASON, at + ": issuerURL \"" + issuer + "\" must start with http:// or https://");
            }
            if (!issuers.add(issuer)) {
                throw new InvalidSpec(Receiver.VALIDATION_FAILED_REASON, at + ": duplicate issuerURL \"" + issuer + "\"");
            }
            if (p.getValidations() == null || p.getValidations().isEmpty()) {
                throw new InvalidSpec(Receiver.VALIDATION_FAILED_REASON, at + " (issuerURL=\"" + issuer + "\"): at least one validation is "
                        + "required; without validations any caller able to obtain a token from this issuer can trigger the Receiver");
            }
            try {
                compileClaims(p);
            } catch (CelException e) {
                throw new InvalidSpec(INVALID_CEL_EXPRESSION_REASON, at + " (issuerURL=\"" + issuer + "\"): " + e.getMessage());
            }
        }
    }

    private record Named(String name, CelExpression program) {
    }

    private static List<List<Named>> compileClaims(OIDCProvider p) throws CelException {
        List<Named> variables = new ArrayList<>();
        for (OIDCVariable v : p.getVariables() == null ? List.<OIDCVariable>of() : p.getVariables()) {
            variables.add(new Named(v.getName(), CelExpression.compile(v.getExpression(), CelExpression.Result.ANY, "claims", "vars")));
        }
        List<Named> validations = new ArrayList<>();
        for (OIDCValidation v : p.getValidations() == null ? List.<OIDCValidation>of() : p.getValidations()) {
            validations.add(new Named(v.getMessage(), CelExpression.compile(v.getExpression(), CelExpression.Result.BOOL, "claims", "vars")));
        }
        return List.of(variables, validations);
    }

    /** Evaluates the provider's variables, then every validation; failed validations' messages are joined. */
    static void evaluateClaims(OIDCProvider provider, Map<String, Object> claims) throws WebhookValidation.Refused {
        List<List<Named>> compiled;
        try {
            compiled = compileClaims(provider);
        } catch (CelException e) {
            throw new WebhookValidation.Refused(400, "invalid oidcProvider configuration for issuer \"" + provider.getIssuerURL() + "\": " + e.getMessage());
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("claims", claims);
        data.put("vars", vars);
        for (Named v : compiled.get(0)) {
            try {
                vars.put(v.name(), v.program().evaluate(data));
            } catch (CelException e) {
                throw new WebhookValidation.Refused(400, "failed to evaluate variable \"" + v.name() + "\": " + e.getMessage());
            }
        }
        List<String> failures = new ArrayList<>();
        for (Named v : compiled.get(1)) {
            try {
                if (!v.program().evaluateBoolean(data)) {
                    failures.add(v.name());
                }
            } catch (CelException e) {
                throw new WebhookValidation.Refused(400, "failed to evaluate validation: " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) {
            throw new WebhookValidation.Refused(400, "token validation failed: " + String.join("; ", failures));
        }
    }
}
