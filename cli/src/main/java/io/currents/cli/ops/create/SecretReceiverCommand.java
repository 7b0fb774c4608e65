package io.currents.cli.ops.create;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code currents create secret receiver}: a Receiver's webhook {@code token} (random unless given), annotated with
 * the webhook URL notification-controller will serve for a Receiver of the same name and namespace.
 */
@Command
final class SecretReceiverCommand extends SecretCommand {

    static final List<String> TYPES = List.of("generic", "generic-hmac", "github", "gitlab", "bitbucket", "harbor", "dockerhub",
            "quay", "gcr", "nexus", "acr", "cdevents");

    @Option(names = "--type", required = true, description = "Receiver type: ${COMPLETION-CANDIDATES}.", completionCandidates = Types.class)
    String type;
    @Option(names = "--token", description = "Webhook token (default: 32 random bytes, hex).")
    String token;
    @Option(names = "--hostname", required = true, description = "Hostname of the webhook URL, e.g. flux.example.com.")
    String hostname;
    @Option(names = "--email-claim", description = "IAM service account email (required for gcr).")
    String emailClaim;
    @Option(names = "--audience-claim", description = "OIDC token audience for gcr (default: the webhook URL).")
    String audienceClaim;

    static final class Types extends java.util.ArrayList<String> {
        Types() {
            super(TYPES);
        }
    }

    @Override
    Secret object() {
        if (!TYPES.contains(type)) {
            throw new CliException("invalid --type '" + type + "'; choose one of " + String.join(", ", TYPES), ExitCodes.USAGE);
        }
        if ("gcr".equals(type) && (emailClaim == null || emailClaim.isBlank())) {
            throw new CliException("--email-claim is required for gcr receiver type", ExitCodes.USAGE);
        }
        String value = token;
        if (value == null || value.isEmpty()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            value = HexFormat.of().formatHex(random);
        }
        String url = "https://" + hostname + io.currents.api.notification.v1.Receiver.webhookPath(value, name, kube.namespace());
        Map<String, String> data = new LinkedHashMap<>();
        data.put("token", value);
        if ("gcr".equals(type)) {
            data.put("email", emailClaim);
            data.put("audience", audienceClaim == null || audienceClaim.isEmpty() ? url : audienceClaim);
        }
        Secret secret = secret(data);
        secret.getMetadata().setAnnotations(new LinkedHashMap<>(Map.of("notification.toolkit.fluxcd.io/webhook", url)));
        return secret;
    }
}
