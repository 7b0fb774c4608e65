package io.currents.cli.ops.create;

import io.currents.api.source.v1.HelmRepository;
import io.currents.api.source.v1.HelmRepositorySpec;
import io.currents.cli.ops.FluxKind;
import io.currents.git.GitSecret;
import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code currents create source helm}: a HelmRepository (HTTPS or OCI), with a basic-auth Secret of its name when given. */
@Command(mixinStandardHelpOptions = true)
final class SourceHelmCommand extends SourceCommand {

    @Option(names = "--url", required = true, description = "Helm repository address (https:// or oci://).")
    String url;
    @Option(names = {"-u", "--username"}, description = "Basic authentication username.")
    String username;
    @Option(names = {"-p", "--password"}, description = "Basic authentication password.")
    String password;
    @Option(names = "--secret-ref", description = "Name of an existing Secret with the credentials.")
    String secretRef;
    @Option(names = "--pass-credentials", description = "Pass credentials to all domains.")
    boolean passCredentials;

    SourceHelmCommand() {
        super(FluxKind.HELM_REPOSITORY, true);
    }

    /** An OCI HelmRepository is static in Flux v1 (no artifact, no status): nothing to wait for. */
    @Override
    boolean waitForReady() {
        return !url.startsWith("oci://");
    }

    @Override
    HelmRepository object() {
        HelmRepositorySpec spec = new HelmRepositorySpec();
        spec.setInterval(interval.formatted());
        spec.setUrl(url);
        spec.setType(url.startsWith("oci://") ? "oci" : null);
        spec.setPassCredentials(Flags.trueOrNull(passCredentials));
        spec.setSecretRef(secretRef(secretRef, username != null));
        return flux(new HelmRepository(), spec);
    }

    @Override
    List<Secret> prerequisites() {
        if (secretRef != null || username == null) {
            return List.of();
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put(GitSecret.USERNAME, username);
        if (password != null) {
            data.put(GitSecret.PASSWORD, password);
        }
        return List.of(SecretCommand.secret(metadata(name), data));
    }
}
