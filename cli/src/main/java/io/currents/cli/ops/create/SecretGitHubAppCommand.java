package io.currents.cli.ops.create;

import io.currents.cli.output.CliException;
import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code currents create secret githubapp}: GitHub App credentials under the keys Flux's Git providers read. */
@Command
final class SecretGitHubAppCommand extends SecretCommand {

    @Option(names = "--app-id", required = true, description = "GitHub App ID.")
    String appId;
    @Option(names = "--app-installation-owner", description = "GitHub App installation owner (user or organization).")
    String installationOwner;
    @Option(names = "--app-installation-id", description = "GitHub App installation ID.")
    String installationId;
    @Option(names = "--app-private-key", required = true, paramLabel = "<file>", description = "GitHub App private key file.")
    Path privateKey;
    @Option(names = "--app-base-url", description = "GitHub App base URL (GitHub Enterprise Server).")
    String baseUrl;

    @Override
    Secret object() {
        String key;
        try {
            key = Files.readString(privateKey);
        } catch (IOException e) {
            throw new CliException("unable to read private key file " + privateKey + ": " + e.getMessage());
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("githubAppID", appId);
        if (installationOwner != null) {
            data.put("githubAppInstallationOwner", installationOwner);
        }
        if (installationId != null) {
            data.put("githubAppInstallationID", installationId);
        }
        data.put("githubAppPrivateKey", key);
        if (baseUrl != null) {
            data.put("githubAppBaseURL", baseUrl);
        }
        return secret(data);
    }
}
