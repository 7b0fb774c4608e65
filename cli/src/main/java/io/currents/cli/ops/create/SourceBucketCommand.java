package io.currents.cli.ops.create;

import io.currents.api.source.v1.Bucket;
import io.currents.api.source.v1.BucketSpec;
import io.currents.cli.ops.FluxKind;
import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code currents create source bucket}: a Bucket, with an access-key Secret of its name when keys are given. */
@Command(mixinStandardHelpOptions = true)
final class SourceBucketCommand extends SourceCommand {

    @Option(names = "--bucket-name", required = true, description = "Name of the bucket.")
    String bucketName;
    @Option(names = "--endpoint", required = true, description = "Bucket endpoint address (host[:port]).")
    String endpoint;
    @Option(names = "--provider", defaultValue = "generic", description = "generic, aws, azure or gcp (default: ${DEFAULT-VALUE}). "
            + "gcp and azure read their credentials from the Secret of --secret-ref (gcp: serviceaccount; azure: accountKey, sasKey, "
            + "or tenantId/clientId with clientSecret or clientCertificate) or, without one, the controller's workload identity.")
    String provider;
    @Option(names = "--region", description = "Bucket region.")
    String region;
    @Option(names = "--insecure", description = "Use plain HTTP.")
    boolean insecure;
    @Option(names = "--access-key", description = "Access key.")
    String accessKey;
    @Option(names = "--secret-key", description = "Secret key.")
    String secretKey;
    @Option(names = "--secret-ref", description = "Name of an existing Secret with the bucket's credentials.")
    String secretRef;
    @Option(names = "--ignore-paths", split = ",", description = "Paths to ignore, in .gitignore format.")
    List<String> ignorePaths = new ArrayList<>();

    SourceBucketCommand() {
        super(FluxKind.BUCKET, true);
    }

    @Override
    Bucket object() {
        BucketSpec spec = new BucketSpec();
        spec.setBucketName(bucketName);
        spec.setEndpoint(endpoint);
        spec.setInterval(interval.formatted());
        spec.setProvider(Flags.oneOf(provider, List.of("generic", "aws", "azure", "gcp"),
                "unsupported bucket provider '" + provider + "': use one of generic, aws, azure, gcp"));
        spec.setIgnore(Flags.orNull(String.join("\n", ignorePaths)));
        spec.setRegion(Flags.orNull(region));
        spec.setInsecure(Flags.trueOrNull(insecure));
        spec.setSecretRef(secretRef(secretRef, accessKey != null));
        return flux(new Bucket(), spec);
    }

    @Override
    List<Secret> prerequisites() {
        if (secretRef != null || accessKey == null) {
            return List.of();
        }
        Map<String, String> data = new LinkedHashMap<>();
        data.put("accesskey", accessKey);
        if (secretKey != null && !secretKey.isEmpty()) {
            data.put("secretkey", secretKey);
        }
        return List.of(SecretCommand.secret(metadata(name), data));
    }
}
