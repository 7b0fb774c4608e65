package io.currents.cli.kube;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The cluster connection flags every command that talks to Kubernetes shares, named as kubectl and flux name
 * them. Without {@code --kubeconfig} the client reads {@code KUBECONFIG} or {@code ~/.kube/config}; the namespace
 * defaults to {@code currents-system}, as flux's defaults to {@code flux-system}.
 */
public final class KubeOptions {

    public static final String DEFAULT_NAMESPACE = "currents-system";

    @Option(names = "--kubeconfig", paramLabel = "<file>", description = "Path to the kubeconfig file.")
    Path kubeconfig;

    @Option(names = "--context", paramLabel = "<name>", description = "The kubeconfig context to use.")
    String context;

    @Option(names = {"-n", "--namespace"}, paramLabel = "<namespace>", defaultValue = DEFAULT_NAMESPACE,
            description = "The namespace scope for this operation (default: ${DEFAULT-VALUE}).")
    String namespace = DEFAULT_NAMESPACE;

    private KubernetesClient client;

    public String namespace() {
        return namespace;
    }

    /** The client for the chosen kubeconfig and context, created on first use and reused. */
    public synchronized KubernetesClient client() {
        if (client == null) {
            client = new KubernetesClientBuilder().withConfig(config()).build();
        }
        return client;
    }

    Config config() {
        Config config = loadConfig();
        // a command line tool reports an unreachable cluster at once instead of retrying for half a minute
        config.setRequestRetryBackoffLimit(1);
        return config;
    }

    private Config loadConfig() {
        if (kubeconfig == null) {
            return Config.autoConfigure(context);
        }
        if (!Files.isRegularFile(kubeconfig)) {
            throw new IllegalArgumentException("kubeconfig " + kubeconfig + " does not exist; pass an existing file to --kubeconfig");
        }
        try {
            return Config.fromKubeconfig(context, Files.readString(kubeconfig), kubeconfig.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kubeconfig " + kubeconfig, e);
        }
    }

    /** Closes the client if one was created. */
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
