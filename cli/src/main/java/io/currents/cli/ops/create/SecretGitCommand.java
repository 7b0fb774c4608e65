package io.currents.cli.ops.create;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code currents create secret git}: a Secret with Git credentials in the keys source-controller reads. */
@Command(mixinStandardHelpOptions = true)
final class SecretGitCommand extends SecretCommand {

    @Option(names = "--url", required = true, description = "Git repository address; decides between basic auth (https) and SSH.")
    String url;
    @Mixin
    GitCredentialOptions credentials = new GitCredentialOptions();
    @Option(names = "--bearer-token", description = "Bearer token for HTTPS.")
    String bearerToken;
    @Option(names = "--ca-crt-file", description = "CA certificate file for HTTPS.")
    Path caFile;

    @Override
    Secret object() {
        boolean ssh = credentials.checkUrl(url);
        if (ssh && credentials.privateKeyFile == null) {
            throw new CliException("an SSH URL needs --private-key-file", ExitCodes.USAGE);
        }
        if (!ssh && credentials.username == null && bearerToken == null && caFile == null) {
            throw new CliException("HTTPS credentials are required; use --username and --password, --bearer-token or --ca-crt-file",
                    ExitCodes.USAGE);
        }
        return credentials.secret(metadata(name), url, bearerToken, caFile);
    }
}
