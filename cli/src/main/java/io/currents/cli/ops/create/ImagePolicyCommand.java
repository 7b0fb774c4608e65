package io.currents.cli.ops.create;

import io.currents.api.image.v1.AlphabeticalPolicy;
import io.currents.api.image.v1.ImagePolicy;
import io.currents.api.image.v1.ImagePolicyChoice;
import io.currents.api.image.v1.ImagePolicySpec;
import io.currents.api.image.v1.NumericalPolicy;
import io.currents.api.image.v1.SemVerPolicy;
import io.currents.api.image.v1.TagFilter;
import io.currents.api.meta.NamespacedObjectReference;
import io.currents.cli.ops.FluxKind;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.stream.Stream;

/** {@code currents create image policy}: an ImagePolicy choosing the latest tag by semver, number or alphabet. */
@Command(mixinStandardHelpOptions = true)
final class ImagePolicyCommand extends CreateCommand {

    @Option(names = "--image-ref", required = true, description = "Name of the ImageRepository.")
    String imageRef;
    @Option(names = "--select-semver", description = "Semver range to select, e.g. '>=1.0.0'.")
    String semver;
    @Option(names = "--select-numeric", description = "Numerical order: asc or desc.")
    String numeric;
    @Option(names = "--select-alpha", description = "Alphabetical order: asc or desc.")
    String alpha;
    @Option(names = "--filter-regex", description = "Regular expression tags must match.")
    String filterRegex;
    @Option(names = "--filter-extract", description = "Replacement that extracts the value to order by, e.g. '$ts'.")
    String filterExtract;

    ImagePolicyCommand() {
        super(FluxKind.IMAGE_POLICY, FluxKind.IMAGE_POLICY.kind(), true);
    }

    @Override
    ImagePolicy object() {
        if (Stream.of(semver, numeric, alpha).filter(v -> v != null).count() != 1) {
            throw new CliException("exactly one of --select-semver, --select-numeric or --select-alpha is required", ExitCodes.USAGE);
        }
        ImagePolicyChoice policy = new ImagePolicyChoice();
        if (semver != null) {
            SemVerPolicy choice = new SemVerPolicy();
            choice.setRange(semver);
            policy.setSemver(choice);
        } else if (numeric != null) {
            NumericalPolicy choice = new NumericalPolicy();
            choice.setOrder(order(numeric, "--select-numeric"));
            policy.setNumerical(choice);
        } else {
            AlphabeticalPolicy choice = new AlphabeticalPolicy();
            choice.setOrder(order(alpha, "--select-alpha"));
            policy.setAlphabetical(choice);
        }
        ImagePolicySpec spec = new ImagePolicySpec();
        NamespacedObjectReference repository = new NamespacedObjectReference();
        repository.setName(imageRef);
        spec.setImageRepositoryRef(repository);
        spec.setPolicy(policy);
        if (filterRegex != null) {
            TagFilter filter = new TagFilter();
            filter.setPattern(filterRegex);
            filter.setExtract(Flags.orNull(filterExtract));
            spec.setFilterTags(filter);
        } else if (filterExtract != null) {
            throw new CliException("--filter-extract needs --filter-regex", ExitCodes.USAGE);
        }
        return flux(new ImagePolicy(), spec);
    }

    private static String order(String value, String flag) {
        return Flags.oneOf(value, List.of("asc", "desc"), flag + " must be asc or desc");
    }
}
