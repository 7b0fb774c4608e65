package io.currents.cli.ops;

import io.currents.cli.install.InstallManifests;
import io.currents.cli.output.CliException;
import io.currents.cli.output.Confirmation;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code currents migrate}: flux's migration of Flux objects to the latest API versions before an upgrade. In the
 * cluster: every object of the toolkit's CRDs is rewritten at its CRD's storage version (its managed fields moved to
 * that apiVersion) and the CRD's {@code status.storedVersions} is left with that version only. With {@code -f}: the
 * {@code apiVersion:} lines of Flux objects in YAML files are rewritten to the latest versions of a Flux minor version.
 */
@Command
public final class MigrateCommand extends ClusterCommand {

    /** The latest API version of each Flux group/kind, per supported Flux minor version (flux's table, newest first). */
    static final Map<String, Map<String, String>> LATEST = new LinkedHashMap<>();

    static {
        Map<String, String> v27 = new LinkedHashMap<>();
        for (String kind : List.of("Bucket", "GitRepository", "OCIRepository", "HelmRepository", "HelmChart", "ExternalArtifact")) {
            v27.put("source.toolkit.fluxcd.io/" + kind, "v1");
        }
        v27.put("kustomize.toolkit.fluxcd.io/Kustomization", "v1");
        v27.put("helm.toolkit.fluxcd.io/HelmRelease", "v2");
        v27.put("notification.toolkit.fluxcd.io/Receiver", "v1");
        v27.put("notification.toolkit.fluxcd.io/Alert", "v1beta3");
        v27.put("notification.toolkit.fluxcd.io/Provider", "v1beta3");
        Map<String, String> v26 = new LinkedHashMap<>(v27);
        v27.put("image.toolkit.fluxcd.io/ImageRepository", "v1");
        v27.put("image.toolkit.fluxcd.io/ImagePolicy", "v1");
        v27.put("image.toolkit.fluxcd.io/ImageUpdateAutomation", "v1");
        v27.put("source.extensions.fluxcd.io/ArtifactGenerator", "v1beta1");
        v26.put("image.toolkit.fluxcd.io/ImageRepository", "v1beta2");
        v26.put("image.toolkit.fluxcd.io/ImagePolicy", "v1beta2");
        v26.put("image.toolkit.fluxcd.io/ImageUpdateAutomation", "v1beta2");
        LATEST.put("2.9", v27);
        LATEST.put("2.8", v27);
        LATEST.put("2.7", v27);
        LATEST.put("2.6", v26);
    }

    @Option(names = {"-f", "--path"}, paramLabel = "<path>", description = "The directory or file of the manifests to migrate.")
    Path path;

    @Option(names = {"-e", "--extensions"}, split = ",", defaultValue = ".yaml,.yml", paramLabel = "<ext>",
            description = "The file extensions to consider, only with --path (default: ${DEFAULT-VALUE}).")
    List<String> extensions;

    @Option(names = {"-v", "--version"}, paramLabel = "<minor>",
            description = "The Flux minor version whose API versions the manifests move to, only with --path (default: 2.9, the API set of this CLI).")
    String version;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation, only with --path.")
    boolean yes;

    @Option(names = "--dry-run", description = "Only print the upgrades, only with --path.")
    boolean dryRun;

    @Override
    public Integer call() {
        Progress progress = newProgress();
        if (path == null) {
            migrateCluster(kube.client(), progress);
        } else {
            migrateFiles(progress);
        }
        return ExitCodes.OK;
    }

    private void migrateCluster(KubernetesClient client, Progress progress) {
        progress.action("starting migration of custom resources");
        for (CustomResourceDefinition crd : client.apiextensions().v1().customResourceDefinitions()
                .withLabel(InstallManifests.PART_OF, InstallManifests.PART_OF_VALUE).list().getItems()) {
            migrateCrd(client, crd, progress);
        }
        progress.success("custom resources migrated successfully");
    }

    private void migrateCrd(KubernetesClient client, CustomResourceDefinition crd, Progress progress) {
        String name = crd.getMetadata().getName();
        String storage = crd.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getStorage)
                .map(CustomResourceDefinitionVersion::getName).findFirst()
                .orElseThrow(() -> new CliException("no storage version found for CRD " + name));
        String apiVersion = crd.getSpec().getGroup() + "/" + storage;
        ResourceDefinitionContext context = new ResourceDefinitionContext.Builder().withGroup(crd.getSpec().getGroup())
                .withVersion(storage).withKind(crd.getSpec().getNames().getKind()).withPlural(crd.getSpec().getNames().getPlural())
                .withNamespaced("Namespaced".equals(crd.getSpec().getScope())).build();
        for (GenericKubernetesResource item : client.genericKubernetesResources(context).inAnyNamespace().list().getItems()) {
            String subject = item.getKind() + "/" + (item.getMetadata().getNamespace() == null ? "" : item.getMetadata().getNamespace())
                    + "/" + item.getMetadata().getName();
            List<Map<String, Object>> patch = managedFieldsPatch(item, apiVersion);
            var resource = client.genericKubernetesResources(context).inNamespace(item.getMetadata().getNamespace())
                    .withName(item.getMetadata().getName());
            try {
                // any write stores the object again, at the storage version
                if (patch.isEmpty()) {
                    resource.patch(PatchContext.of(PatchType.JSON_MERGE), "{}");
                } else {
                    resource.patch(PatchContext.of(PatchType.JSON), io.fabric8.kubernetes.client.utils.Serialization.asJson(patch));
                }
            } catch (KubernetesClientException e) {
                if (e.getCode() != 404) {
                    throw new CliException(subject + " failed to migrate: " + io.currents.cli.output.Errors.describe(e), ExitCodes.FAILURE, e);
                }
            }
            progress.success(subject + " migrated to version " + storage);
        }
        List<String> stored = crd.getStatus() == null ? List.of() : crd.getStatus().getStoredVersions();
        if (stored.size() != 1 || !stored.get(0).equals(storage)) {
            crd.getStatus().setStoredVersions(new ArrayList<>(List.of(storage)));
            client.apiextensions().v1().customResourceDefinitions().resource(crd).updateStatus();
            progress.success(name + " migrated to storage version " + storage);
        }
    }

    /** JSON patch operations moving the object's managed fields of other versions of its group to {@code apiVersion}. */
    static List<Map<String, Object>> managedFieldsPatch(GenericKubernetesResource item, String apiVersion) {
        List<Map<String, Object>> ops = new ArrayList<>();
        List<ManagedFieldsEntry> fields = item.getMetadata().getManagedFields();
        String group = apiVersion.substring(0, apiVersion.indexOf('/') + 1);
        for (int i = 0; fields != null && i < fields.size(); i++) {
            String v = fields.get(i).getApiVersion();
            if (v != null && v.startsWith(group) && !v.equals(apiVersion)) {
                ops.add(Map.of("op", "replace", "path", "/metadata/managedFields/" + i + "/apiVersion", "value", apiVersion));
            }
        }
        return ops;
    }

    /** One {@code apiVersion:} line of a file to rewrite (0-based line). */
    record Upgrade(Path file, int line, String kind, String oldVersion, String newVersion) {
    }

    private void migrateFiles(Progress progress) {
        Map<String, String> latest = version == null ? LATEST.get("2.9") : LATEST.get(version);
        if (latest == null) {
            throw new CliException("version " + version + " is not supported, supported versions are: " + String.join(", ", LATEST.keySet()),
                    ExitCodes.USAGE);
        }
        progress.action("starting migration of custom resources");
        List<Path> files = files(progress);
        Map<Path, List<Upgrade>> upgrades = new LinkedHashMap<>();
        for (Path file : files) {
            List<Upgrade> found = detect(file, latest, progress);
            if (!found.isEmpty()) {
                upgrades.put(file, found);
                found.forEach(u -> progress.generated(u.file() + ":" + (u.line() + 1) + ": " + u.kind() + " " + u.oldVersion() + " -> "
                        + u.newVersion()));
            }
        }
        if (upgrades.isEmpty()) {
            progress.success("no custom resources found that require migration");
            return;
        }
        if (dryRun) {
            progress.success("dry-run mode enabled, no changes will be made");
            return;
        }
        if (!yes && !Confirmation.ask(spec.commandLine().getErr(), "Are you sure you want to proceed with the above upgrades?", "--yes")) {
            throw new CliException("aborting");
        }
        for (var entry : upgrades.entrySet()) {
            rewrite(entry.getKey(), entry.getValue());
            progress.success("file " + entry.getKey() + " migrated successfully");
        }
        progress.success("custom resources migrated successfully");
    }

    private List<Path> files(Progress progress) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException("failed to stat path " + path + ": no such file or directory", ExitCodes.USAGE);
        }
        if (!Files.isDirectory(path)) {
            if (!matches(path)) {
                throw new CliException("file " + path + " does not match the specified extensions: " + String.join(", ", extensions),
                        ExitCodes.USAGE);
            }
            if (!Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                throw new CliException("file " + path + " is irregular", ExitCodes.USAGE);
            }
            return List.of(path);
        }
        List<Path> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted().toList()) {
                if (!matches(p)) {
                    continue;
                }
                if (Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    files.add(p);
                } else if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    progress.warning("skipping irregular file " + p);
                }
            }
        } catch (IOException e) {
            throw new CliException("failed to walk directory " + path + ": " + e.getMessage(), ExitCodes.FAILURE, e);
        }
        return files;
    }

    private boolean matches(Path p) {
        return extensions.stream().anyMatch(e -> p.toString().endsWith(e));
    }

    /** flux's detection: an {@code apiVersion: group/version} line followed by a {@code kind: Kind} line of a known kind. */
    static List<Upgrade> detect(Path file, Map<String, String> latest, Progress progress) {
        List<String> lines = lines(file);
        List<Upgrade> upgrades = new ArrayList<>();
        for (int i = 0; i + 1 < lines.size(); i++) {
            String apiVersion = value(lines.get(i), "apiVersion: ");
            String kind = value(lines.get(i + 1), "kind: ");
            if (apiVersion == null || kind == null) {
                continue;
            }
            int slash = apiVersion.indexOf('/');
            if (slash < 0 || apiVersion.indexOf('/', slash + 1) >= 0) {
                if (apiVersion.chars().filter(c -> c == '/').count() > 1) {
                    progress.warning(file + ":" + (i + 1) + ": unexpected GroupVersion string: " + apiVersion);
                }
                continue;
            }
            String group = apiVersion.substring(0, slash);
            String current = apiVersion.substring(slash + 1);
            String newest = latest.get(group + "/" + kind);
            if (newest != null && !newest.equals(current)) {
                upgrades.add(new Upgrade(file, i, kind, current, newest));
            }
        }
        return upgrades;
    }

    private static String value(String line, String prefix) {
        int idx = line.indexOf(prefix);
        if (idx < 0) {
            return null;
        }
        String rest = line.substring(idx + prefix.length()).strip();
        return rest.isEmpty() ? null : rest.split(" ")[0];
    }

    private static List<String> lines(Path file) {
        try {
            return List.of(Files.readString(file).split("\n", -1));
        } catch (IOException e) {
            throw new CliException("failed to read file " + file + ": " + e.getMessage(), ExitCodes.FAILURE, e);
        }
    }

    /** Replaces the old version by the new one on each upgraded line, keeping everything else and the file's permissions. */
    private static void rewrite(Path file, List<Upgrade> upgrades) {
        List<String> lines = new ArrayList<>(lines(file));
        for (Upgrade u : upgrades) {
            lines.set(u.line(), lines.get(u.line()).replaceFirst(java.util.regex.Pattern.quote(u.oldVersion()),
                    java.util.regex.Matcher.quoteReplacement(u.newVersion())));
        }
        try {
            Files.writeString(file, String.join("\n", lines));
        } catch (IOException e) {
            throw new CliException("failed to write file " + file + ": " + e.getMessage(), ExitCodes.FAILURE, e);
        }
    }
}
