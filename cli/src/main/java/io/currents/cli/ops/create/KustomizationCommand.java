package io.currents.cli.ops.create;

import io.currents.api.kustomize.v1.CrossNamespaceSourceReference;
import io.currents.api.kustomize.v1.Decryption;
import io.currents.api.kustomize.v1.Kustomization;
import io.currents.api.kustomize.v1.KustomizationSpec;
import io.currents.api.meta.DependencyReference;
import io.currents.api.meta.KubeConfigReference;
import io.currents.api.meta.NamespacedObjectKindReference;
import io.currents.api.meta.SecretKeyReference;
import io.currents.cli.ops.FluxKind;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code currents create kustomization}: a Kustomization of a path in a source. */
@Command(mixinStandardHelpOptions = true)
final class KustomizationCommand extends CreateCommand {

    @Option(names = "--source", required = true, description = "Source reference: [<kind>/]<name>[.<namespace>], kind GitRepository by default.")
    String source;
    @Option(names = "--path", defaultValue = "./", description = "Path to the directory in the source (default: ${DEFAULT-VALUE}).")
    String path;
    @Option(names = "--prune", description = "Delete objects that left the source.")
    boolean prune;
    @Mixin
    IntervalOption interval = new IntervalOption();
    @Option(names = "--target-namespace", description = "Namespace set on all objects.")
    String targetNamespace;
    @Option(names = "--depends-on", split = ",", description = "Kustomizations that must be ready first: <name>[.<namespace>] or <namespace>/<name>.")
    List<String> dependsOn = new ArrayList<>();
    @Option(names = "--health-check", split = ",", description = "Objects to check: <kind>/<name>.<namespace>.")
    List<String> healthChecks = new ArrayList<>();
    @Option(names = "--health-check-timeout", description = "Timeout of health checking.")
    String healthCheckTimeout;
    @Option(names = "--wait", description = "Wait for all applied objects to be ready.")
    boolean waitForObjects;
    @Option(names = "--service-account", description = "Service account to impersonate.")
    String serviceAccount;
    @Option(names = "--decryption-provider", description = "Decryption provider (sops).")
    String decryptionProvider;
    @Option(names = "--decryption-secret", description = "Secret with the decryption keys.")
    String decryptionSecret;
    @Option(names = "--retry-interval", description = "Interval between retries after a failure.")
    String retryInterval;
    @Option(names = "--kubeconfig-secret-ref", description = "Secret with a kubeconfig for a remote cluster.")
    String kubeconfigSecretRef;

    KustomizationCommand() {
        super(FluxKind.KUSTOMIZATION, FluxKind.KUSTOMIZATION.kind(), true);
    }

    @Override
    Kustomization object() {
        KustomizationSpec spec = new KustomizationSpec();
        spec.setInterval(interval.formatted());
        spec.setPath(path);
        spec.setPrune(prune);
        spec.setSourceRef(ObjectRef.parse(source, "GitRepository", "--source").as(CrossNamespaceSourceReference.class));
        spec.setTargetNamespace(Flags.orNull(targetNamespace));
        spec.setDependsOn(Flags.orNull(dependsOn.stream().map(d -> ObjectRef.dependency(d, true).as(DependencyReference.class)).toList()));
        List<NamespacedObjectKindReference> checks = new ArrayList<>();
        for (String h : healthChecks) {
            ObjectRef ref = ObjectRef.parse(h, null, "--health-check");
            if (ref.namespace() == null) {
                throw new CliException("invalid --health-check '" + h + "'; use <kind>/<name>.<namespace>", ExitCodes.USAGE);
            }
            checks.add(ref.as(NamespacedObjectKindReference.class));
        }
        spec.setHealthChecks(Flags.orNull(checks));
        spec.setTimeout(Flags.duration(healthCheckTimeout));
        spec.setWait(Flags.trueOrNull(waitForObjects));
        spec.setServiceAccountName(Flags.orNull(serviceAccount));
        if (decryptionProvider != null) {
            Decryption decryption = new Decryption();
            decryption.setProvider(decryptionProvider);
            decryption.setSecretRef(SourceCommand.ref(decryptionSecret));
            spec.setDecryption(decryption);
        }
        spec.setRetryInterval(Flags.duration(retryInterval));
        if (kubeconfigSecretRef != null) {
            KubeConfigReference kubeConfig = new KubeConfigReference();
            SecretKeyReference secret = new SecretKeyReference();
            secret.setName(kubeconfigSecretRef);
            kubeConfig.setSecretRef(secret);
            spec.setKubeConfig(kubeConfig);
        }
        return flux(new Kustomization(), spec);
    }
}
