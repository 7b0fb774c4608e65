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
    @Option(names = "--cert-ref", description = "Name of an existing Secret with ca.crt, tls.crt and tls.key.")
    String certRef;
    @Option(names = "--service-account", description = "Service account whose image pull secrets authenticate to the registry.")
    String serviceAccount;
    @Option(names = "--verify-provider", description = "Signature verification provider: cosign.")
    String verifyProvider;
    @Option(names = "--verify-secret-ref", description = "Name of a Secret with the cosign public keys (*.pub).")
    String verifySecretRef;
    @Option(names = "--ignore-paths", split = ",", description = "Paths to ignore, in .gitignore format.")
    List<String> ignorePaths = new ArrayList<>();

    SourceOciCommand() {
        super(FluxKind.OCI_REPOSITORY, true);
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
        spec.setCertSecretRef(ref(certRef));
        spec.setServiceAccountName(serviceAccount);
        if (verifyProvider != null || verifySecretRef != null) {
            io.currents.api.source.v1.OCIRepositoryVerification verify = new io.currents.api.source.v1.OCIRepositoryVerification();
            verify.setProvider(verifyProvider == null ? "cosign" : verifyProvider);
            verify.setSecretRef(ref(verifySecretRef));
            spec.setVerify(verify);
        }
        return flux(new OCIRepository(), spec);
    }
}
