package io.currents.cli.ops.create;

import picocli.CommandLine;

import static io.currents.cli.ops.OpsCommands.command;
import static io.currents.cli.ops.OpsCommands.group;

/**
 * {@code currents create ...}: generates Flux objects from flags as {@code flux create} does, one command per kind built
 * on the typed API model. With {@code --export} the YAML is printed; otherwise the object is server-side applied and,
 * for the kinds a controller reconciles, the command waits until it is Ready.
 */
public final class CreateCommands {

    private CreateCommands() {
    }

    /** The {@code create} command group with flux's layout of subcommands. */
    public static CommandLine create() {
        CommandLine create = group("Create or update Flux objects.");
        CommandLine source = group("Create or update sources.");
        source.addSubcommand("git", command(new SourceGitCommand(), "Create or update a GitRepository source."));
        source.addSubcommand("helm", command(new SourceHelmCommand(), "Create or update a HelmRepository source."));
        source.addSubcommand("oci", command(new SourceOciCommand(), "Create or update an OCIRepository source."));
        source.addSubcommand("bucket", command(new SourceBucketCommand(), "Create or update a Bucket source."));
        source.addSubcommand("chart", command(new SourceChartCommand(), "Create or update a HelmChart source."));
        create.addSubcommand("source", source);
        create.addSubcommand("kustomization", command(new KustomizationCommand(), "Create or update a Kustomization."), "ks");
        create.addSubcommand("helmrelease", command(new HelmReleaseCommand(), "Create or update a HelmRelease."), "hr");
        create.addSubcommand("alert", command(new AlertCommand(), "Create or update an Alert."));
        create.addSubcommand("alert-provider", command(new AlertProviderCommand(), "Create or update an alert Provider."));
        create.addSubcommand("receiver", command(new ReceiverCommand(), "Create or update a Receiver."));
        CommandLine image = group("Create or update image automation objects.");
        image.addSubcommand("repository", command(new ImageRepositoryCommand(), "Create or update an ImageRepository."));
        image.addSubcommand("policy", command(new ImagePolicyCommand(), "Create or update an ImagePolicy."));
        image.addSubcommand("update", command(new ImageUpdateCommand(), "Create or update an ImageUpdateAutomation."));
        create.addSubcommand("image", image);
        CommandLine secret = group("Create or update Secrets for Flux objects.");
        secret.addSubcommand("git", command(new SecretGitCommand(), "Create or update a Secret with Git credentials."));
        secret.addSubcommand("helm", command(new SecretHelmCommand(), "Create or update a Secret for Helm repository authentication."));
        secret.addSubcommand("oci", command(new SecretOciCommand(), "Create or update a Secret for OCI registry authentication."));
        secret.addSubcommand("tls", command(new SecretTlsCommand(), "Create or update a Secret with TLS certificates."));
        secret.addSubcommand("notation", command(new SecretNotationCommand(),
                "Create or update a Secret with the root CA certificates and trust policy for Notation signature verification."));
        secret.addSubcommand("proxy", command(new SecretProxyCommand(), "Create or update a Secret with a proxy address and credentials."));
        secret.addSubcommand("githubapp", command(new SecretGitHubAppCommand(), "Create or update a Secret with GitHub App credentials."));
        secret.addSubcommand("receiver", command(new SecretReceiverCommand(),
                "Create or update a Secret with a Receiver's webhook token (its URL in an annotation)."));
        create.addSubcommand("secret", secret);
        create.addSubcommand("tenant", command(new TenantCommand(),
                "Create or update a tenant: namespaces, a service account and role bindings limiting the reconcilers to them."));
        return create;
    }
}
