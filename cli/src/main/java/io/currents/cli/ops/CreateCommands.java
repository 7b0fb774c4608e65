package io.currents.cli.ops;

import io.currents.cli.output.CliException;
import io.currents.cli.output.DurationConverter;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.OutputFormat;
import io.currents.cli.output.Progress;
import io.currents.kustomize.yaml.YamlReader;
import io.currents.runtime.reconcile.FluxDuration;
import io.currents.runtime.apply.Unstructured;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code currents create ...}: generates Flux objects from flags as {@code flux create} does. With {@code --export}
 * the YAML is printed (keys sorted, {@code ---} first, as flux prints it); otherwise the object is server-side
 * applied and, for sources and Kustomizations, the command waits until it is Ready.
 */
public final class CreateCommands {

    /** The field manager of objects applied by {@code currents create}. */
    public static final String FIELD_MANAGER = "currents";

    private CreateCommands() {
    }

    static CommandLine create() {
        CommandLine create = OpsCommands.group("Create or update Flux objects.");
        CommandLine source = OpsCommands.group("Create or update sources.");
        source.addSubcommand("git", OpsCommands.command(new SourceGit(), "Create or update a GitRepository source."));
        source.addSubcommand("helm", OpsCommands.command(new SourceHelm(), "Create or update a HelmRepository source."));
        source.addSubcommand("oci", OpsCommands.command(new SourceOci(), "Create or update an OCIRepository source."));
        source.addSubcommand("bucket", OpsCommands.command(new SourceBucket(), "Create or update a Bucket source."));
        source.addSubcommand("chart", OpsCommands.command(new SourceChart(), "Create or update a HelmChart source."));
        create.addSubcommand("source", source);
        create.addSubcommand("kustomization", OpsCommands.command(new KustomizationCmd(), "Create or update a Kustomization."), "ks");
        create.addSubcommand("helmrelease", OpsCommands.command(new HelmReleaseCmd(), "Create or update a HelmRelease."), "hr");
        create.addSubcommand("alert", OpsCommands.command(new AlertCmd(), "Create or update an Alert."));
        create.addSubcommand("alert-provider", OpsCommands.command(new ProviderCmd(), "Create or update an alert Provider."));
        create.addSubcommand("receiver", OpsCommands.command(new ReceiverCmd(), "Create or update a Receiver."));
        CommandLine image = OpsCommands.group("Create or update image automation objects.");
        image.addSubcommand("repository", OpsCommands.command(new ImageRepositoryCmd(), "Create or update an ImageRepository."));
        image.addSubcommand("policy", OpsCommands.command(new ImagePolicyCmd(), "Create or update an ImagePolicy."));
        image.addSubcommand("update", OpsCommands.command(new ImageUpdateCmd(), "Create or update an ImageUpdateAutomation."));
        create.addSubcommand("image", image);
        CommandLine secret = OpsCommands.group("Create or update Secrets for Flux objects.");
        secret.addSubcommand("git", OpsCommands.command(new SecretGit(), "Create or update a Secret with Git credentials."));
        secret.addSubcommand("helm", OpsCommands.command(new SecretHelm(), "Create or update a Secret for Helm repository authentication."));
        secret.addSubcommand("oci", OpsCommands.command(new SecretOci(), "Create or update a Secret for OCI registry authentication."));
        secret.addSubcommand("tls", OpsCommands.command(new SecretTls(), "Create or update a Secret with TLS certificates."));
        create.addSubcommand("secret", secret);
        return create;
    }

    /** Flags and behaviour every create command shares. */
    abstract static class Base extends ClusterCommand {
        @Parameters(index = "0", paramLabel = "<name>", description = "Name of the object.")
        String name;

        @Option(names = "--export", description = "Print the generated YAML instead of applying it.")
        boolean export;

        @Option(names = "--label", split = ",", paramLabel = "<key=value>", description = "Labels to set on the object.")
        List<String> labels = new ArrayList<>();

        @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "5m", converter = DurationConverter.class,
                description = "How long to wait for the object to be ready (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        Progress progress;

        private final FluxKind kind;
        private final String subject;
        private final boolean waitForReady;

        /**
         * @param kind the kind created, or null for plain Kubernetes objects (Secrets)
         * @param subject words of flux's progress lines, e.g. "GitRepository source"
         * @param waitForReady whether to wait for Ready after applying (the kinds a controller reconciles in this release)
         */
        Base(FluxKind kind, String subject, boolean waitForReady) {
            this.kind = kind;
            this.subject = subject;
            this.waitForReady = waitForReady;
        }

        /** A kind named by its kind in progress lines, not waited for. */
        Base(FluxKind kind) {
            this(kind, kind.kind(), false);
        }

        final FluxKind kind() {
            return kind;
        }

        final String subject() {
            return subject;
        }

        boolean waitForReady() {
            return waitForReady;
        }

        abstract Map<String, Object> spec();

        /** Objects to apply before the main one (credentials Secrets); never exported. */
        List<Map<String, Object>> prerequisites() {
            return List.of();
        }

        Map<String, Object> object() {
            Map<String, Object> object = new LinkedHashMap<>();
            object.put("apiVersion", kind().apiVersion());
            object.put("kind", kind().kind());
            object.put("metadata", metadata(name));
            object.put("spec", spec());
            return object;
        }

        Map<String, Object> metadata(String objectName) {
            Map<String, Object> metadata = new LinkedHashMap<>();
            metadata.put("name", objectName);
            metadata.put("namespace", kube.namespace());
            Map<String, String> parsed = new LinkedHashMap<>();
            for (String label : labels) {
                String[] kv = label.split("=", 2);
                if (kv.length != 2 || kv[0].isBlank()) {
                    throw new CliException("invalid label '" + label + "'; use --label key=value", ExitCodes.USAGE);
                }
                parsed.put(kv[0], kv[1]);
            }
            if (!parsed.isEmpty()) {
                metadata.put("labels", parsed);
            }
            return metadata;
        }

        @Override
        public Integer call() {
            progress = newProgress();
            Map<String, Object> object = object();
            if (export) {
                printExport(object);
                return 0;
            }
            KubernetesClient client = kube.client();
            progress.generated("generating " + subject());
            for (Map<String, Object> prerequisite : prerequisites()) {
                progress.action("applying secret with repository credentials");
                apply(client, prerequisite);
                progress.success("authentication configured");
            }
            progress.action("applying " + subject());
            GenericKubernetesResource applied = apply(client, object);
            progress.success(subject() + " created");
            if (waitForReady()) {
                GenericKubernetesResource ready = progress.waitFor("waiting for " + subject() + " reconciliation",
                        () -> awaitReady(client, applied, timeout));
                progress.success(subject() + " " + name + " is ready");
                progress.success(ReconcileRequests.successMessage(kind(), ready));
            }
            return 0;
        }

        /** What --export prints instead of applying: the object as YAML. */
        void printExport(Map<String, Object> object) {
            print(OutputFormat.yaml.render(object));
        }

        static GenericKubernetesResource apply(KubernetesClient client, Map<String, Object> object) {
            GenericKubernetesResource resource = Unstructured.fromMap(object);
            try {
                return client.genericKubernetesResources(resource.getApiVersion(), resource.getKind())
                        .inNamespace(resource.getMetadata().getNamespace()).resource(resource)
                        .fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
            } catch (KubernetesClientException e) {
                String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
                throw new CliException(resource.getKind() + " " + resource.getMetadata().getName() + " was refused by the API server: "
                        + reason, ExitCodes.FAILURE, e);
            }
        }

        GenericKubernetesResource awaitReady(KubernetesClient client, GenericKubernetesResource applied, Duration limit) {
            long generation = applied.getMetadata().getGeneration() == null ? 1 : applied.getMetadata().getGeneration();
            long deadline = System.nanoTime() + limit.toNanos();
            while (true) {
                GenericKubernetesResource current = FluxObjects.require(client, kind(), kube.namespace(), name);
                Object observed = FluxObjects.status(current).get("observedGeneration");
                var ready = FluxObjects.condition(current, "Ready");
                if (observed instanceof Number n && n.longValue() >= generation && ready.isPresent()) {
                    Object status = ready.get().get("status");
                    if ("True".equals(status)) {
                        return current;
                    }
                    if ("False".equals(status) && FluxObjects.condition(current, "Stalled").isPresent()) {
                        throw new CliException(subject() + " reconciliation failed: " + ready.get().get("message"));
                    }
                }
                if (System.nanoTime() > deadline) {
                    String message = ready.map(c -> String.valueOf(c.get("message"))).orElse("no status yet");
                    throw CliException.timeout("timed out after " + FluxDuration.format(limit) + " waiting for " + subject() + " " + name
                            + " to be ready (" + message + "); check its controller and 'currents events --for " + kind().kind()
                            + "/" + name + "'");
                }
                try {
                    Thread.sleep(ReconcileRequests.POLL.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new CliException("interrupted while waiting for " + subject() + " " + name);
                }
            }
        }

        static String interval(String value) {
            try {
                return FluxDuration.format(FluxDuration.parse(value));
            } catch (IllegalArgumentException e) {
                throw new CliException("'" + value + "' is not a duration; use e.g. 30s, 5m or 1h30m", ExitCodes.USAGE);
            }
        }

        static Map<String, Object> nameRef(String value) {
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("name", value);
            return ref;
        }

        /** Parses flux's {@code [Kind/]name[.namespace]} reference syntax. */
        static Map<String, Object> crossRef(String value, String defaultKind, String flag) {
            String kind = defaultKind;
            String rest = value;
            int slash = value.indexOf('/');
            if (slash >= 0) {
                kind = value.substring(0, slash);
                rest = value.substring(slash + 1);
            }
            if (kind == null || kind.isEmpty() || rest.isEmpty()) {
                throw new CliException("invalid " + flag + " '" + value + "'; use <kind>/<name>[.<namespace>]", ExitCodes.USAGE);
            }
            Map<String, Object> ref = new LinkedHashMap<>();
            ref.put("kind", kind);
            int dot = rest.indexOf('.');
            if (dot >= 0) {
                ref.put("name", rest.substring(0, dot));
                ref.put("namespace", rest.substring(dot + 1));
            } else {
                ref.put("name", rest);
            }
            return ref;
        }

        /** Puts {@code {name: value}} under the key when the value is given. */
        static void putRef(Map<String, Object> map, String key, String value) {
            if (value != null) {
                map.put(key, nameRef(value));
            }
        }

        /** Puts the duration, in flux's format, under the key when it is given. */
        static void putInterval(Map<String, Object> map, String key, String value) {
            if (value != null) {
                map.put(key, interval(value));
            }
        }

        static void putIf(Map<String, Object> map, String key, Object value) {
            if (value instanceof String s && s.isEmpty()) {
                return;
            }
            if (value instanceof List<?> l && l.isEmpty()) {
                return;
            }
            if (value != null && !Boolean.FALSE.equals(value)) {
                map.put(key, value);
            }
        }
    }

    /** The Git credential flags of {@code create source git} and {@code create secret git}. */
    static final class GitAuth {
        @Option(names = {"-u", "--username"}, description = "Basic authentication username.")
        String username;
        @Option(names = {"-p", "--password"}, description = "Basic authentication password.")
        String password;
        @Option(names = "--private-key-file", description = "SSH private key file (for ssh:// URLs).")
        Path privateKeyFile;
        @Option(names = "--known-hosts-file", description = "known_hosts file with the SSH host keys (default: scanned from the server).")
        Path knownHostsFile;

        /** The Secret source-controller reads these credentials from (see {@link GitCredentials#secret}). */
        Map<String, Object> secret(Map<String, Object> metadata, String url, String bearerToken, Path caFile) {
            return GitCredentials.secret(metadata, url, username, password, privateKeyFile, knownHostsFile, bearerToken, caFile);
        }
    }

    // ---- sources ----

    /** What every {@code create source} command shares: the sync interval, and "<Kind> source" in progress lines. */
    abstract static class Source extends Base {
        @Option(names = "--interval", defaultValue = "1m", description = "Source sync interval (default: ${DEFAULT-VALUE}).")
        String interval;

        Source(FluxKind kind, boolean waitForReady) {
            super(kind, kind.kind() + " source", waitForReady);
        }

        /**
         * Points spec.secretRef at the existing Secret given with --secret-ref, or else, when credentials flags were
         * given, at the Secret of the source's own name that this command applies from them.
         */
        void putSecretRef(Map<String, Object> spec, String secretRef, boolean credentialsGiven) {
            if (secretRef != null) {
                spec.put("secretRef", nameRef(secretRef));
            } else if (credentialsGiven) {
                spec.put("secretRef", nameRef(name));
            }
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class SourceGit extends Source {
        @Option(names = "--url", required = true, description = "Git repository address (https:// or ssh://).")
        String url;
        @Option(names = "--branch", description = "Git branch.")
        String branch;
        @Option(names = "--tag", description = "Git tag.")
        String tag;
        @Option(names = "--tag-semver", description = "Git tag semver range.")
        String semver;
        @Option(names = "--commit", description = "Git commit SHA.")
        String commit;
        @Option(names = "--ref-name", description = "Git reference name, e.g. refs/heads/main.")
        String refName;
        @Mixin
        GitAuth auth = new GitAuth();
        @Option(names = "--secret-ref", description = "Name of an existing Secret with the credentials.")
        String secretRef;
        @Option(names = "--ignore-paths", split = ",", description = "Paths to ignore, in .gitignore format.")
        List<String> ignorePaths = new ArrayList<>();
        @Option(names = "--recurse-submodules", description = "Clone submodules too.")
        boolean recurseSubmodules;

        SourceGit() {
            super(FluxKind.GIT_REPOSITORY, true);
        }

        @Override
        Map<String, Object> spec() {
            String scheme = URI.create(url).getScheme();
            if (scheme == null || !List.of("http", "https", "ssh").contains(scheme.toLowerCase(Locale.ROOT))) {
                throw new CliException("git URL scheme '" + scheme + "' is not supported; use http://, https:// or ssh://", ExitCodes.USAGE);
            }
            boolean ssh = "ssh".equalsIgnoreCase(scheme);
            if (auth.privateKeyFile != null && !ssh) {
                throw new CliException("--private-key-file needs an ssh:// URL; for " + url + " use --username and --password",
                        ExitCodes.USAGE);
            }
            if (ssh && auth.privateKeyFile == null && secretRef == null) {
                throw new CliException("an SSH URL needs --private-key-file or --secret-ref", ExitCodes.USAGE);
            }
            Map<String, Object> ref = new LinkedHashMap<>();
            putIf(ref, "branch", branch);
            putIf(ref, "tag", tag);
            putIf(ref, "semver", semver);
            putIf(ref, "commit", commit);
            putIf(ref, "name", refName);
            if (ref.isEmpty()) {
                throw new CliException("a Git ref is required; use one of --branch, --tag, --tag-semver, --commit or --ref-name", ExitCodes.USAGE);
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("interval", interval(interval));
            spec.put("ref", ref);
            spec.put("url", url);
            putIf(spec, "ignore", String.join("\n", ignorePaths));
            putIf(spec, "recurseSubmodules", recurseSubmodules);
            putSecretRef(spec, secretRef, auth.username != null || auth.privateKeyFile != null);
            return spec;
        }

        @Override
        List<Map<String, Object>> prerequisites() {
            if (secretRef != null || (auth.username == null && auth.privateKeyFile == null)) {
                return List.of();
            }
            return List.of(auth.secret(metadata(name), url, null, null));
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class SourceHelm extends Source {
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

        SourceHelm() {
            super(FluxKind.HELM_REPOSITORY, true);
        }

        /** An OCI HelmRepository is static in Flux v1 (no artifact, no status): nothing to wait for. */
        @Override
        boolean waitForReady() {
            return !url.startsWith("oci://");
        }

        @Override
        Map<String, Object> spec() {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("interval", interval(interval));
            spec.put("url", url);
            if (url.startsWith("oci://")) {
                spec.put("type", "oci");
            }
            putIf(spec, "passCredentials", passCredentials);
            putSecretRef(spec, secretRef, username != null);
            return spec;
        }

        @Override
        List<Map<String, Object>> prerequisites() {
            if (secretRef != null || username == null) {
                return List.of();
            }
            return List.of(GitCredentials.secret(metadata(name), url, username, password, null, null, null, null));
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class SourceOci extends Source {
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

        SourceOci() {
            super(FluxKind.OCI_REPOSITORY, false);
        }

        @Override
        Map<String, Object> spec() {
            if (!url.startsWith("oci://")) {
                throw new CliException("OCI repository URL '" + url + "' must start with oci://", ExitCodes.USAGE);
            }
            Map<String, Object> ref = new LinkedHashMap<>();
            putIf(ref, "tag", tag);
            putIf(ref, "semver", semver);
            putIf(ref, "digest", digest);
            if (ref.isEmpty()) {
                throw new CliException("an artifact reference is required; use one of --tag, --tag-semver or --digest", ExitCodes.USAGE);
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("interval", interval(interval));
            spec.put("ref", ref);
            spec.put("url", url);
            if (!"generic".equals(provider)) {
                spec.put("provider", provider);
            }
            putIf(spec, "insecure", insecure);
            putIf(spec, "ignore", String.join("\n", ignorePaths));
            putRef(spec, "secretRef", secretRef);
            return spec;
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class SourceBucket extends Source {
        @Option(names = "--bucket-name", required = true, description = "Name of the bucket.")
        String bucketName;
        @Option(names = "--endpoint", required = true, description = "Bucket endpoint address (host[:port]).")
        String endpoint;
        @Option(names = "--provider", defaultValue = "generic", description = "generic, aws, azure or gcp (default: ${DEFAULT-VALUE}).")
        String provider;
        @Option(names = "--region", description = "Bucket region.")
        String region;
        @Option(names = "--insecure", description = "Use plain HTTP.")
        boolean insecure;
        @Option(names = "--access-key", description = "Access key.")
        String accessKey;
        @Option(names = "--secret-key", description = "Secret key.")
        String secretKey;
        @Option(names = "--secret-ref", description = "Name of an existing Secret with accesskey and secretkey.")
        String secretRef;

        SourceBucket() {
            super(FluxKind.BUCKET, false);
        }

        @Override
        Map<String, Object> spec() {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("bucketName", bucketName);
            spec.put("endpoint", endpoint);
            spec.put("interval", interval(interval));
            spec.put("provider", provider);
            putIf(spec, "region", region);
            putIf(spec, "insecure", insecure);
            putSecretRef(spec, secretRef, accessKey != null);
            return spec;
        }

        @Override
        List<Map<String, Object>> prerequisites() {
            if (secretRef != null || accessKey == null) {
                return List.of();
            }
            Map<String, Object> data = new LinkedHashMap<>();
            data.put("accesskey", accessKey);
            putIf(data, "secretkey", secretKey);
            return List.of(ObjectMaps.secret(metadata(name), data));
        }
    }

    // ---- kustomize, helm ----

    @Command(mixinStandardHelpOptions = true)
    static final class SourceChart extends Source {
        @Option(names = "--source", required = true, paramLabel = "<kind>/<name>",
                description = "The chart's source: HelmRepository/<name>, GitRepository/<name> or Bucket/<name>, in the same namespace.")
        String source;
        @Option(names = "--chart", required = true, description = "Helm chart name (HelmRepository) or path (GitRepository, Bucket).")
        String chart;
        @Option(names = "--chart-version", description = "Helm chart version, a semver range (ignored for charts from Git or Bucket sources).")
        String chartVersion;
        @Option(names = "--reconcile-strategy", description = "When to build a new artifact: ChartVersion or Revision (default: ChartVersion).")
        String reconcileStrategy;

        SourceChart() {
            super(FluxKind.HELM_CHART, true);
        }

        @Override
        Map<String, Object> spec() {
            Map<String, Object> ref = crossRef(source, null, "--source");
            Object kind = ref.get("kind");
            if (!List.of("HelmRepository", "GitRepository", "Bucket").contains(kind)) {
                throw new CliException("invalid --source kind '" + kind + "'; use HelmRepository, GitRepository or Bucket", ExitCodes.USAGE);
            }
            if (ref.containsKey("namespace")) {
                throw new CliException("a HelmChart's source must be in its own namespace; drop '." + ref.get("namespace")
                        + "' from --source and use -n", ExitCodes.USAGE);
            }
            if (reconcileStrategy != null && !List.of("ChartVersion", "Revision").contains(reconcileStrategy)) {
                throw new CliException("invalid --reconcile-strategy '" + reconcileStrategy + "'; use ChartVersion or Revision", ExitCodes.USAGE);
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("chart", chart);
            putIf(spec, "version", chartVersion);
            spec.put("sourceRef", ref);
            spec.put("interval", interval(interval));
            putIf(spec, "reconcileStrategy", reconcileStrategy);
            return spec;
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class KustomizationCmd extends Base {
        @Option(names = "--source", required = true, description = "Source reference: [<kind>/]<name>[.<namespace>], kind GitRepository by default.")
        String source;
        @Option(names = "--path", defaultValue = "./", description = "Path to the directory in the source (default: ${DEFAULT-VALUE}).")
        String path;
        @Option(names = "--prune", description = "Delete objects that left the source.")
        boolean prune;
        @Option(names = "--interval", defaultValue = "1m", description = "Reconciliation interval (default: ${DEFAULT-VALUE}).")
        String interval;
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

        KustomizationCmd() {
            super(FluxKind.KUSTOMIZATION, FluxKind.KUSTOMIZATION.kind(), true);
        }

        @Override
        Map<String, Object> spec() {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("interval", interval(interval));
            spec.put("path", path);
            spec.put("prune", prune);
            spec.put("sourceRef", crossRef(source, "GitRepository", "--source"));
            putIf(spec, "targetNamespace", targetNamespace);
            List<Object> deps = new ArrayList<>();
            for (String d : dependsOn) {
                Map<String, Object> dep = new LinkedHashMap<>();
                int slash = d.indexOf('/');
                int dot = d.indexOf('.');
                if (slash >= 0) {
                    dep.put("name", d.substring(slash + 1));
                    dep.put("namespace", d.substring(0, slash));
                } else if (dot >= 0) {
                    dep.put("name", d.substring(0, dot));
                    dep.put("namespace", d.substring(dot + 1));
                } else {
                    dep.put("name", d);
                }
                deps.add(dep);
            }
            putIf(spec, "dependsOn", deps);
            List<Object> checks = new ArrayList<>();
            for (String h : healthChecks) {
                Map<String, Object> ref = crossRef(h, null, "--health-check");
                if (!ref.containsKey("namespace")) {
                    throw new CliException("invalid --health-check '" + h + "'; use <kind>/<name>.<namespace>", ExitCodes.USAGE);
                }
                checks.add(ref);
            }
            putIf(spec, "healthChecks", checks);
            putInterval(spec, "timeout", healthCheckTimeout);
            putIf(spec, "wait", waitForObjects);
            putIf(spec, "serviceAccountName", serviceAccount);
            if (decryptionProvider != null) {
                Map<String, Object> decryption = new LinkedHashMap<>();
                decryption.put("provider", decryptionProvider);
                putRef(decryption, "secretRef", decryptionSecret);
                spec.put("decryption", decryption);
            }
            putInterval(spec, "retryInterval", retryInterval);
            if (kubeconfigSecretRef != null) {
                spec.put("kubeConfig", Map.of("secretRef", nameRef(kubeconfigSecretRef)));
            }
            return spec;
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class HelmReleaseCmd extends Base {
        @Option(names = "--source", description = "Chart source: <kind>/<name>[.<namespace>] (HelmRepository, GitRepository or Bucket).")
        String source;
        @Option(names = "--chart", description = "Chart name (from a HelmRepository) or path (in a GitRepository or Bucket).")
        String chart;
        @Option(names = "--chart-version", description = "Chart version range (semver).")
        String chartVersion;
        @Option(names = "--chart-ref", description = "Chart reference: <kind>/<name>[.<namespace>] (OCIRepository or HelmChart).")
        String chartRef;
        @Option(names = "--reconcile-strategy", defaultValue = "ChartVersion", description = "ChartVersion or Revision (default: ${DEFAULT-VALUE}).")
        String reconcileStrategy;
        @Option(names = "--release-name", description = "Name of the Helm release.")
        String releaseName;
        @Option(names = "--target-namespace", description = "Namespace to install the release into.")
        String targetNamespace;
        @Option(names = "--create-target-namespace", description = "Create the target namespace if missing.")
        boolean createTargetNamespace;
        @Option(names = "--storage-namespace", description = "Namespace of the Helm storage.")
        String storageNamespace;
        @Option(names = "--depends-on", split = ",", description = "HelmReleases that must be ready first: <name>[.<namespace>].")
        List<String> dependsOn = new ArrayList<>();
        @Option(names = "--values", description = "Values files, merged in order.")
        List<Path> values = new ArrayList<>();
        @Option(names = "--values-from", split = ",", description = "Values from <kind>/<name> (Secret or ConfigMap).")
        List<String> valuesFrom = new ArrayList<>();
        @Option(names = "--service-account", description = "Service account to impersonate.")
        String serviceAccount;
        @Option(names = "--interval", defaultValue = "1m", description = "Reconciliation interval (default: ${DEFAULT-VALUE}).")
        String interval;

        HelmReleaseCmd() {
            super(FluxKind.HELM_RELEASE, FluxKind.HELM_RELEASE.kind(), true);
        }

        @Override
        Map<String, Object> spec() {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("interval", interval(interval));
            if (chartRef != null) {
                spec.put("chartRef", crossRef(chartRef, null, "--chart-ref"));
            } else {
                if (source == null || chart == null) {
                    throw new CliException("a chart is required; use --source and --chart, or --chart-ref", ExitCodes.USAGE);
                }
                Map<String, Object> chartSpec = new LinkedHashMap<>();
                chartSpec.put("chart", chart);
                chartSpec.put("reconcileStrategy", reconcileStrategy);
                chartSpec.put("sourceRef", crossRef(source, null, "--source"));
                putIf(chartSpec, "version", chartVersion);
                spec.put("chart", Map.of("spec", chartSpec));
            }
            putIf(spec, "releaseName", releaseName);
            putIf(spec, "targetNamespace", targetNamespace);
            if (createTargetNamespace) {
                spec.put("install", Map.of("createNamespace", true));
            }
            putIf(spec, "storageNamespace", storageNamespace);
            List<Object> deps = new ArrayList<>();
            for (String d : dependsOn) {
                Map<String, Object> dep = new LinkedHashMap<>();
                int dot = d.indexOf('.');
                dep.put("name", dot >= 0 ? d.substring(0, dot) : d);
                if (dot >= 0) {
                    dep.put("namespace", d.substring(dot + 1));
                }
                deps.add(dep);
            }
            putIf(spec, "dependsOn", deps);
            putIf(spec, "serviceAccountName", serviceAccount);
            if (!values.isEmpty()) {
                Map<String, Object> merged = new LinkedHashMap<>();
                for (Path file : values) {
                    try {
                        Object read = YamlReader.read(Files.readString(file), false);
                        if (read instanceof Map<?, ?> m) {
                            merge(merged, FluxObjects.map(m));
                        } else if (read != null) {
                            throw new CliException("values file " + file + " must hold a YAML map", ExitCodes.USAGE);
                        }
                    } catch (IOException e) {
                        throw new CliException("cannot read values file " + file + "; check the path given to --values", ExitCodes.FAILURE, e);
                    }
                }
                spec.put("values", merged);
            }
            List<Object> from = new ArrayList<>();
            for (String v : valuesFrom) {
                Map<String, Object> ref = crossRef(v, null, "--values-from");
                if (!List.of("Secret", "ConfigMap").contains(String.valueOf(ref.get("kind")))) {
                    throw new CliException("invalid --values-from '" + v + "'; the kind must be Secret or ConfigMap", ExitCodes.USAGE);
                }
                from.add(ref);
            }
            putIf(spec, "valuesFrom", from);
            return spec;
        }

        @SuppressWarnings("unchecked")
        private static void merge(Map<String, Object> into, Map<String, Object> from) {
            from.forEach((k, v) -> {
                if (v instanceof Map<?, ?> m && into.get(k) instanceof Map<?, ?> existing) {
                    Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) existing);
                    merge(copy, (Map<String, Object>) m);
                    into.put(k, copy);
                } else {
                    into.put(k, v);
                }
            });
        }
    }

    // ---- notification ----

    @Command(mixinStandardHelpOptions = true)
    static final class AlertCmd extends Base {
        @Option(names = "--provider-ref", required = true, description = "Name of the alert Provider.")
        String providerRef;
        @Option(names = "--event-source", required = true, split = ",", description = "Sources of events: <kind>/<name>[.<namespace>] (name may be *).")
        List<String> eventSources = new ArrayList<>();
        @Option(names = "--event-severity", description = "info or error (default: all).")
        String eventSeverity;

        AlertCmd() {
            super(FluxKind.ALERT);
        }

        @Override
        Map<String, Object> spec() {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("providerRef", nameRef(providerRef));
            List<Object> sources = new ArrayList<>();
            for (String s : eventSources) {
                sources.add(crossRef(s, null, "--event-source"));
            }
            spec.put("eventSources", sources);
            if (eventSeverity != null) {
                if (!List.of("info", "error").contains(eventSeverity)) {
                    throw new CliException("--event-severity must be info or error", ExitCodes.USAGE);
                }
                spec.put("eventSeverity", eventSeverity);
            }
            return spec;
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class ProviderCmd extends Base {
        @Option(names = "--type", required = true, description = "Provider type: slack, msteams, generic, generic-hmac, github, ...")
        String type;
        @Option(names = "--channel", description = "Channel to post to.")
        String channel;
        @Option(names = "--username", description = "Bot username.")
        String username;
        @Option(names = "--address", description = "Webhook or API address.")
        String address;
        @Option(names = "--secret-ref", description = "Secret with the address or token.")
        String secretRef;

        ProviderCmd() {
            super(FluxKind.PROVIDER);
        }

        @Override
        Map<String, Object> spec() {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("type", type);
            putIf(spec, "channel", channel);
            putIf(spec, "username", username);
            putIf(spec, "address", address);
            putRef(spec, "secretRef", secretRef);
            return spec;
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class ReceiverCmd extends Base {
        @Option(names = "--type", required = true, description = "Receiver type: generic, generic-hmac, github, gitlab, ...")
        String type;
        @Option(names = "--event", split = ",", description = "Events to accept (type-specific).")
        List<String> events = new ArrayList<>();
        @Option(names = "--resource", required = true, split = ",", description = "Objects to reconcile: <kind>/<name>.")
        List<String> resources = new ArrayList<>();
        @Option(names = "--secret-ref", required = true, description = "Secret with the token (key: token).")
        String secretRef;

        ReceiverCmd() {
            super(FluxKind.RECEIVER, FluxKind.RECEIVER.kind(), true);
        }

        @Override
        Map<String, Object> spec() {
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("type", type);
            putIf(spec, "events", new ArrayList<>(events));
            List<Object> refs = new ArrayList<>();
            for (String r : resources) {
                refs.add(crossRef(r, null, "--resource"));
            }
            spec.put("resources", refs);
            spec.put("secretRef", nameRef(secretRef));
            return spec;
        }
    }

    // ---- image automation ----

    @Command(mixinStandardHelpOptions = true)
    static final class ImageRepositoryCmd extends Base {
        @Option(names = "--image", required = true, description = "Image repository to scan, e.g. ghcr.io/org/app.")
        String image;
        @Option(names = "--interval", defaultValue = "1m", description = "Scan interval (default: ${DEFAULT-VALUE}).")
        String interval;
        @Option(names = "--secret-ref", description = "docker-registry Secret for the registry.")
        String secretRef;
        @Option(names = "--cert-secret-ref", description = "Secret with TLS certificates.")
        String certSecretRef;
        @Option(names = "--scan-timeout", description = "Timeout of one scan.")
        String scanTimeout;

        ImageRepositoryCmd() {
            super(FluxKind.IMAGE_REPOSITORY, FluxKind.IMAGE_REPOSITORY.kind(), true);
        }

        @Override
        Map<String, Object> spec() {
            if (image.contains("://")) {
                throw new CliException("--image takes a repository without a scheme, e.g. ghcr.io/org/app", ExitCodes.USAGE);
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("image", image);
            spec.put("interval", interval(interval));
            putRef(spec, "secretRef", secretRef);
            putRef(spec, "certSecretRef", certSecretRef);
            putInterval(spec, "timeout", scanTimeout);
            return spec;
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class ImagePolicyCmd extends Base {
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

        ImagePolicyCmd() {
            super(FluxKind.IMAGE_POLICY, FluxKind.IMAGE_POLICY.kind(), true);
        }

        @Override
        Map<String, Object> spec() {
            Map<String, Object> policy = new LinkedHashMap<>();
            int chosen = 0;
            if (semver != null) {
                policy.put("semver", Map.of("range", semver));
                chosen++;
            }
            if (numeric != null) {
                policy.put("numerical", Map.of("order", order(numeric, "--select-numeric")));
                chosen++;
            }
            if (alpha != null) {
                policy.put("alphabetical", Map.of("order", order(alpha, "--select-alpha")));
                chosen++;
            }
            if (chosen != 1) {
                throw new CliException("exactly one of --select-semver, --select-numeric or --select-alpha is required", ExitCodes.USAGE);
            }
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("imageRepositoryRef", nameRef(imageRef));
            spec.put("policy", policy);
            if (filterRegex != null) {
                Map<String, Object> filter = new LinkedHashMap<>();
                filter.put("pattern", filterRegex);
                putIf(filter, "extract", filterExtract);
                spec.put("filterTags", filter);
            } else if (filterExtract != null) {
                throw new CliException("--filter-extract needs --filter-regex", ExitCodes.USAGE);
            }
            return spec;
        }

        private static String order(String value, String flag) {
            if (!List.of("asc", "desc").contains(value)) {
                throw new CliException(flag + " must be asc or desc", ExitCodes.USAGE);
            }
            return value;
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class ImageUpdateCmd extends Base {
        @Option(names = "--git-repo-ref", required = true, description = "Name of the GitRepository to update.")
        String gitRepoRef;
        @Option(names = "--git-repo-namespace", description = "Namespace of the GitRepository.")
        String gitRepoNamespace;
        @Option(names = "--git-repo-path", defaultValue = "./", description = "Path in the repository to update (default: ${DEFAULT-VALUE}).")
        String gitRepoPath;
        @Option(names = "--checkout-branch", description = "Branch to check out (default: the GitRepository's).")
        String checkoutBranch;
        @Option(names = "--push-branch", description = "Branch to push to (default: the checkout branch).")
        String pushBranch;
        @Option(names = "--author-name", required = true, description = "Commit author name.")
        String authorName;
        @Option(names = "--author-email", required = true, description = "Commit author email.")
        String authorEmail;
        @Option(names = "--commit-template", description = "Commit message template.")
        String commitTemplate;
        @Option(names = "--interval", defaultValue = "1m", description = "Run interval (default: ${DEFAULT-VALUE}).")
        String interval;

        ImageUpdateCmd() {
            super(FluxKind.IMAGE_UPDATE_AUTOMATION, FluxKind.IMAGE_UPDATE_AUTOMATION.kind(), true);
        }

        @Override
        Map<String, Object> spec() {
            Map<String, Object> sourceRef = new LinkedHashMap<>();
            sourceRef.put("kind", "GitRepository");
            sourceRef.put("name", gitRepoRef);
            putIf(sourceRef, "namespace", gitRepoNamespace);
            Map<String, Object> git = new LinkedHashMap<>();
            if (checkoutBranch != null) {
                git.put("checkout", Map.of("ref", Map.of("branch", checkoutBranch)));
            }
            Map<String, Object> commit = new LinkedHashMap<>();
            Map<String, Object> author = new LinkedHashMap<>();
            author.put("email", authorEmail);
            author.put("name", authorName);
            commit.put("author", author);
            putIf(commit, "messageTemplate", commitTemplate);
            git.put("commit", commit);
            if (pushBranch != null) {
                git.put("push", Map.of("branch", pushBranch));
            }
            Map<String, Object> update = new LinkedHashMap<>();
            update.put("path", gitRepoPath);
            update.put("strategy", "Setters");
            Map<String, Object> spec = new LinkedHashMap<>();
            spec.put("git", git);
            spec.put("interval", interval(interval));
            spec.put("sourceRef", sourceRef);
            spec.put("update", update);
            return spec;
        }
    }

    // ---- secrets ----

    @Command(mixinStandardHelpOptions = true)
    static final class SecretGit extends SecretBase {
        @Option(names = "--url", required = true, description = "Git repository address; decides between basic auth (https) and SSH.")
        String url;
        @Mixin
        GitAuth auth = new GitAuth();
        @Option(names = "--bearer-token", description = "Bearer token for HTTPS.")
        String bearerToken;
        @Option(names = "--ca-crt-file", description = "CA certificate file for HTTPS.")
        Path caFile;

        @Override
        Map<String, Object> object() {
            String scheme = URI.create(url).getScheme();
            boolean ssh = "ssh".equalsIgnoreCase(scheme);
            if (!ssh && !"https".equalsIgnoreCase(scheme) && !"http".equalsIgnoreCase(scheme)) {
                throw new CliException("git URL scheme '" + scheme + "' is not supported; use http://, https:// or ssh://", ExitCodes.USAGE);
            }
            if (ssh && auth.privateKeyFile == null) {
                throw new CliException("an SSH URL needs --private-key-file", ExitCodes.USAGE);
            }
            if (!ssh && auth.privateKeyFile != null) {
                throw new CliException("--private-key-file needs an ssh:// URL", ExitCodes.USAGE);
            }
            if (!ssh && auth.username == null && bearerToken == null && caFile == null) {
                throw new CliException("HTTPS credentials are required; use --username and --password, --bearer-token or --ca-crt-file", ExitCodes.USAGE);
            }
            return auth.secret(metadata(name), url, bearerToken, caFile);
        }

    }

    /** A Secret made from flags: applied, or printed with --export (to be encrypted with SOPS and committed). */
    abstract static class SecretBase extends Base {
        SecretBase() {
            super(null, "secret", false);
        }

        @Override
        final Map<String, Object> spec() {
            return Map.of();
        }

        @Override
        public Integer call() {
            progress = newProgress();
            Map<String, Object> object = object();
            if (export) {
                printExport(object);
                return 0;
            }
            progress.action("applying secret " + name);
            apply(kube.client(), object);
            progress.success("secret " + name + " created in " + kube.namespace() + " namespace");
            return 0;
        }
    }

    /** The TLS flags of {@code create secret helm} and {@code create secret tls}: keys tls.crt, tls.key and ca.crt. */
    static final class TlsFiles {
        @Option(names = "--tls-crt-file", description = "TLS client certificate file (PEM).")
        Path certFile;
        @Option(names = "--tls-key-file", description = "TLS client private key file (PEM).")
        Path keyFile;
        @Option(names = "--ca-crt-file", description = "TLS certificate authority file (PEM).")
        Path caFile;

        boolean any() {
            return certFile != null || keyFile != null || caFile != null;
        }

        void putInto(Map<String, Object> data) {
            if ((certFile == null) != (keyFile == null)) {
                throw new CliException("--tls-crt-file and --tls-key-file go together; give both or neither", ExitCodes.USAGE);
            }
            if (certFile != null) {
                data.put("tls.crt", GitCredentials.read(certFile, "--tls-crt-file"));
                data.put("tls.key", GitCredentials.read(keyFile, "--tls-key-file"));
            }
            if (caFile != null) {
                data.put("ca.crt", GitCredentials.read(caFile, "--ca-crt-file"));
            }
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class SecretHelm extends SecretBase {
        @Option(names = {"-u", "--username"}, description = "Basic authentication username.")
        String username;
        @Option(names = {"-p", "--password"}, description = "Basic authentication password.")
        String password;
        @Mixin
        TlsFiles tls = new TlsFiles();

        @Override
        Map<String, Object> object() {
            if (username == null && password == null && !tls.any()) {
                throw new CliException("no credentials given; use --username and --password, or the --tls-crt-file, "
                        + "--tls-key-file and --ca-crt-file flags", ExitCodes.USAGE);
            }
            if ((username == null) != (password == null)) {
                throw new CliException("--username and --password go together; give both", ExitCodes.USAGE);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            putIf(data, "username", username);
            putIf(data, "password", password);
            tls.putInto(data);
            return ObjectMaps.secret(metadata(name), data);
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class SecretOci extends SecretBase {
        @Option(names = "--url", required = true, description = "Registry host, e.g. ghcr.io (an oci:// or https:// prefix and a path are dropped).")
        String url;
        @Option(names = {"-u", "--username"}, required = true, description = "Registry username.")
        String username;
        @Option(names = {"-p", "--password"}, required = true, description = "Registry password or token.")
        String password;

        @Override
        Map<String, Object> object() {
            String host = url.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").replaceFirst("/.*$", "");
            if (host.isEmpty()) {
                throw new CliException("--url '" + url + "' has no registry host; use e.g. --url=ghcr.io", ExitCodes.USAGE);
            }
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("username", username);
            entry.put("password", password);
            entry.put("auth", java.util.Base64.getEncoder().encodeToString(
                    (username + ":" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            Map<String, Object> config = Map.of("auths", Map.of(host, entry));
            String json;
            try {
                json = io.fabric8.kubernetes.client.utils.Serialization.jsonMapper().writeValueAsString(config);
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            Map<String, Object> secret = ObjectMaps.secret(metadata(name), Map.of(".dockerconfigjson", json));
            secret.put("type", "kubernetes.io/dockerconfigjson");
            return secret;
        }
    }

    @Command(mixinStandardHelpOptions = true)
    static final class SecretTls extends SecretBase {
        @Mixin
        TlsFiles tls = new TlsFiles();

        @Override
        Map<String, Object> object() {
            if (!tls.any()) {
                throw new CliException("no certificates given; use --tls-crt-file and --tls-key-file, --ca-crt-file, or both", ExitCodes.USAGE);
            }
            Map<String, Object> data = new LinkedHashMap<>();
            tls.putInto(data);
            return ObjectMaps.secret(metadata(name), data);
        }
    }
}
