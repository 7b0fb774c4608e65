package io.currents.cli.ops.create;

import io.currents.api.image.v1.ImageRepository;
import io.currents.api.image.v1.ImageRepositorySpec;
import io.currents.cli.ops.FluxKind;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code currents create image repository}: an ImageRepository whose tags are scanned. */
@Command(mixinStandardHelpOptions = true)
final class ImageRepositoryCommand extends CreateCommand {

    @Option(names = "--image", required = true, description = "Image repository to scan, e.g. ghcr.io/org/app.")
    String image;
    @Mixin
    IntervalOption interval = new IntervalOption();
    @Option(names = "--secret-ref", description = "docker-registry Secret for the registry.")
    String secretRef;
    @Option(names = "--cert-secret-ref", description = "Secret with TLS certificates.")
    String certSecretRef;
    @Option(names = "--scan-timeout", description = "Timeout of one scan.")
    String scanTimeout;

    ImageRepositoryCommand() {
        super(FluxKind.IMAGE_REPOSITORY, FluxKind.IMAGE_REPOSITORY.kind(), true);
    }

    @Override
    ImageRepository object() {
        if (image.contains("://")) {
            throw new CliException("--image takes a repository without a scheme, e.g. ghcr.io/org/app", ExitCodes.USAGE);
        }
        ImageRepositorySpec spec = new ImageRepositorySpec();
        spec.setImage(image);
        spec.setInterval(interval.formatted());
        spec.setSecretRef(SourceCommand.ref(secretRef));
        spec.setCertSecretRef(SourceCommand.ref(certSecretRef));
        spec.setTimeout(Flags.duration(scanTimeout));
        return flux(new ImageRepository(), spec);
    }
}
