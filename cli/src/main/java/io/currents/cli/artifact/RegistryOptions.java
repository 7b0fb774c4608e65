package io.currents.cli.artifact;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.oci.OciClient;
import io.currents.oci.OciException;
import io.currents.oci.OciReference;
import io.currents.oci.RegistryCredentials;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** How the artifact commands reach a registry: flux's {@code --creds}, {@code --insecure-registry}, Docker's config file. */
public final class RegistryOptions {

    @Option(names = "--creds", description = "Credentials for the registry as <username>[:<password>]; "
            + "without it, the Docker config file ($DOCKER_CONFIG/config.json or ~/.docker/config.json) is used.")
    String creds;
    @Option(names = "--insecure-registry", description = "Speak plain HTTP to the registry.")
    boolean insecure;
    @Option(names = "--provider", defaultValue = "generic", description = "Registry provider: generic only (aws, azure and gcp logins are not implemented).")
    String provider;
    @Option(names = "--timeout", defaultValue = "5m", description = "Timeout of each registry request (default: ${DEFAULT-VALUE}).",
            converter = io.currents.cli.output.DurationConverter.class)
    Duration timeout;

    /** The client for the registry of {@code ref}. */
    OciClient client(OciReference ref) {
        if (!"generic".equals(provider)) {
            throw new CliException("provider '" + provider + "' is not supported: cloud registry logins are not implemented; "
                    + "use --creds or docker login", ExitCodes.USAGE);
        }
        OciClient.Builder builder = OciClient.builder().plainHttp(insecure).timeout(timeout);
        credentials(ref.registry()).ifPresent(builder::credentials);
        return builder.build();
    }

    private Optional<RegistryCredentials> credentials(String registry) {
        if (creds != null) {
            int colon = creds.indexOf(':');
            return Optional.of(colon < 0 ? new RegistryCredentials(creds, "") : new RegistryCredentials(creds.substring(0, colon),
                    creds.substring(colon + 1)));
        }
        String dir = System.getenv("DOCKER_CONFIG");
        Path config = dir != null ? Path.of(dir, "config.json") : Path.of(System.getProperty("user.home"), ".docker", "config.json");
        if (!Files.isRegularFile(config)) {
            return Optional.empty();
        }
        try {
            return RegistryCredentials.fromDockerConfig(Files.readString(config), registry);
        } catch (IOException e) {
            throw new CliException("cannot read the Docker config " + config + ": " + e.getMessage());
        }
    }

    /** Parses an artifact URL, {@code oci://host/repo[:tag|@digest]}. */
    static OciReference parse(String url) {
        try {
            return OciReference.parseWithReference(url);
        } catch (OciException e) {
            throw new CliException(e.getMessage(), ExitCodes.USAGE);
        }
    }

    static CliException failure(String what, OciException e) {
        return new CliException(what + ": " + e.getMessage(), ExitCodes.FAILURE, e);
    }
}
