package io.currents.cli.ops.create;

import io.currents.api.source.v1.OCIRepository;
import io.currents.api.source.v1.OCIRepositoryRef;
import io.currents.api.source.v1.OCIRepositorySpec;
import io.currents.cli.ops.FluxKind;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code currents create source oci}: an OCIRepository at a tag, semver range or digest. */
@Command(mixinStandardHelpOptions = true)
final class SourceOciCommand extends SourceCommand {

    @Option(names = "--url", required = true, description = "OCI repository address (oci://...).")
    String url;
    @Option(names = "--tag", description = "Artifact tag.")
    String tag;
    @Option(names = "--tag-semver", description = "Artifact tag semver range.")
    String semver;
    @Option(names = "--digest", description = "Artifact digest.")
    String digest;
    @Option(names = "--secret-ref", description = "Name of an existing docker-registry Secret.")
    String secretRef;
    @Option(names = "--provider", defaultValue = "generic", description = "generic, aws, azure or gcp (default: ${DEFAULT-VALUE}).")
    String provider;
    @Option(names = "--insecure", description = "Allow plain HTTP.")
    boolean insecure;
    @Option(names = "--ignore-paths", split = ",", description = "Paths to ignore, in .gitignore format.")
    List<String> ignorePaths = new ArrayList<>();

    SourceOciCommand() {
        super(FluxKind.OCI_REPOSITORY, false);
    }

    @Override
    OCIRepository object() {
        if (!url.startsWith("oci://")) {
            throw new CliException("OCI repository URL '" + url + "' must start with oci://", ExitCodes.USAGE);
        }
        if (tag == null && semver == null && digest == null) {
            throw new CliException("an artifact reference is required; use one of --tag, --tag-semver or --digest", ExitCodes.USAGE);
        }
        OCIRepositoryRef ref = new OCIRepositoryRef();
        ref.setTag(tag);
        ref.setSemver(semver);
        ref.setDigest(digest);
        OCIRepositorySpec spec = new OCIRepositorySpec();
        spec.setInterval(interval.formatted());
        spec.setRef(ref);
        spec.setUrl(url);
        spec.setProvider("generic".equals(provider) ? null : provider);
        spec.setInsecure(Flags.trueOrNull(insecure));
        spec.setIgnore(Flags.orNull(String.join("\n", ignorePaths)));
        spec.setSecretRef(ref(secretRef));
        return flux(new OCIRepository(), spec);
    }
}
