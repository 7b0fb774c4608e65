package io.currents.cli.artifact;

import io.currents.cli.ops.OpsCommands;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.Progress;
import io.currents.cli.output.Table;
import io.currents.oci.Descriptor;
import io.currents.oci.FluxArtifacts;
import io.currents.oci.OciClient;
import io.currents.oci.OciException;
import io.currents.oci.OciManifest;
import io.currents.oci.OciReference;
import io.currents.runtime.artifact.ArtifactArchive;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * flux's OCI artifact commands: {@code push}, {@code pull}, {@code tag}, {@code list}, {@code build} and {@code diff}
 * artifact(s), in Flux's format (media types and annotations), so that {@code flux pull artifact} reads what
 * {@code currents push artifact} wrote and the reverse.
 */
public final class ArtifactCommands {

    private static final long MAX_ARTIFACT_BYTES = 1L << 30;

    private ArtifactCommands() {
    }

    /** Adds push/pull/tag/list as new verbs, and {@code artifact} under the build and diff verbs the root already has. */
    public static void register(CommandLine root) {
        root.addSubcommand("push", group("Push artifacts to an OCI registry.", "artifact",
                new Push(), "Build a tar.gz of a path and push it as a Flux OCI artifact."));
        root.addSubcommand("pull", group("Pull artifacts from an OCI registry.", "artifact",
                new Pull(), "Pull a Flux OCI artifact and extract its content."));
        root.addSubcommand("tag", group("Tag artifacts in an OCI registry.", "artifact",
                new Tag(), "Add tags to an artifact without pulling it."));
        root.addSubcommand("list", group("List artifacts in an OCI registry.", "artifacts",
                new ListArtifacts(), "List the tags of a repository with their digest, source and revision."));
        verb(root, "build", "Build artifacts locally.").addSubcommand("artifact",
                OpsCommands.command(new Build(), "Write the tar.gz that push artifact would push."));
        verb(root, "diff", "Compare local content with the cluster or a registry.").addSubcommand("artifact",
                OpsCommands.command(new Diff(), "Say whether a path differs from the content of an artifact in the registry."));
    }

    private static CommandLine verb(CommandLine root, String name, String description) {
        CommandLine existing = root.getSubcommands().get(name);
        if (existing != null) {
            return existing;
        }
        CommandLine group = OpsCommands.group(description);
        root.addSubcommand(name, group);
        return group;
    }

    private static CommandLine group(String description, String noun, Object command, String commandDescription) {
        CommandLine group = OpsCommands.group(description);
        group.addSubcommand(noun, OpsCommands.command(command, commandDescription));
        return group;
    }

    @Command(name = "artifact", mixinStandardHelpOptions = true)
    static final class Push implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "Artifact URL, oci://<registry>/<repository>:<tag>.")
        String url;
        @Option(names = "--path", required = true, description = "Directory or file to push.")
        Path path;
        @Option(names = "--source", required = true, description = "Source of the content, e.g. the Git URL (annotation org.opencontainers.image.source).")
        String source;
        @Option(names = "--revision", required = true, description = "Revision of the content, e.g. <branch>@sha1:<commit> (annotation org.opencontainers.image.revision).")
        String revision;
        @Option(names = {"--annotations", "-a"}, split = ",", description = "More annotations as key=value.")
        List<String> annotations = new ArrayList<>();
        @Option(names = "--ignore-paths", split = ",", description = "Paths to leave out, in .gitignore format.")
        List<String> ignorePaths = new ArrayList<>();
        @Option(names = {"--output", "-o"}, description = "Print the result as 'json' (digest and URL) instead of progress lines.")
        String output;
        @Mixin
        RegistryOptions registry = new RegistryOptions();

        @Override
        public Integer call() throws IOException {
            OciReference ref = RegistryOptions.parse(url);
            if (ref.digest() != null) {
                throw new CliException("push needs a tag, not a digest: " + url, ExitCodes.USAGE);
            }
            if (!Files.exists(path)) {
                throw new CliException("invalid path '" + path + "': it does not exist", ExitCodes.USAGE);
            }
            Map<String, String> extra = new LinkedHashMap<>();
            for (String a : annotations) {
                int eq = a.indexOf('=');
                if (eq <= 0) {
                    throw new CliException("invalid annotation '" + a + "': expected key=value", ExitCodes.USAGE);
                }
                extra.put(a.substring(0, eq), a.substring(eq + 1));
            }
            Progress progress = Progress.to(spec.commandLine().getErr());
            Path tarGz = Files.createTempFile("currents-artifact", ".tar.gz");
            try {
                try (OutputStream out = Files.newOutputStream(tarGz)) {
                    ArtifactTarball.write(path, ignorePaths, out);
                }
                if (!"json".equals(output)) {
                    progress.action("pushing artifact to " + ref.url() + ":" + ref.reference());
                }
                String digest = FluxArtifacts.push(registry.client(ref), ref.tag() == null ? ref.withTag("latest") : ref, tarGz,
                        source, revision, extra, Instant.now());
                if ("json".equals(output)) {
                    spec.commandLine().getOut().println("{\"repository\":\"" + ref.name() + "\",\"tag\":\"" + ref.reference()
                            + "\",\"digest\":\"" + digest + "\",\"url\":\"" + ref.url() + ":" + ref.reference() + "@" + digest + "\"}");
                } else {
                    progress.success("artifact successfully pushed to " + ref.url() + ":" + ref.reference() + "@" + digest);
                }
                return 0;
            } catch (OciException e) {
                throw RegistryOptions.failure("pushing artifact failed", e);
            } finally {
                Files.deleteIfExists(tarGz);
            }
        }
    }

    @Command(name = "artifact", mixinStandardHelpOptions = true)
    static final class Pull implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "Artifact URL, oci://<registry>/<repository>:<tag> or @<digest>.")
        String url;
        @Option(names = {"--output", "-o"}, required = true, description = "Directory to extract the content into.")
        Path output;
        @Mixin
        RegistryOptions registry = new RegistryOptions();

        @Override
        public Integer call() throws IOException {
            OciReference ref = RegistryOptions.parse(url);
            Progress progress = Progress.to(spec.commandLine().getErr());
            progress.action("pulling artifact from " + ref);
            OciClient client = registry.client(ref);
            Path blob = Files.createTempFile("currents-pull", ".tar.gz");
            try {
                OciManifest manifest = client.manifest(ref);
                Descriptor layer = manifest.layers().stream().filter(l -> FluxArtifacts.CONTENT_MEDIA_TYPE.equals(l.mediaType()))
                        .findFirst().orElse(manifest.layers().isEmpty() ? null : manifest.layers().get(0));
                if (layer == null) {
                    throw new CliException("artifact " + ref + " has no layers");
                }
                try (OutputStream out = Files.newOutputStream(blob)) {
                    client.fetchBlob(ref, layer, out, MAX_ARTIFACT_BYTES);
                }
                try (InputStream in = Files.newInputStream(blob)) {
                    ArtifactArchive.extract(in, output, MAX_ARTIFACT_BYTES);
                }
                String source = manifest.annotations().get(FluxArtifacts.SOURCE_ANNOTATION);
                String revision = manifest.annotations().get(FluxArtifacts.REVISION_ANNOTATION);
                if (source != null || revision != null) {
                    progress.success("source " + (source == null ? "-" : source) + ", revision " + (revision == null ? "-" : revision));
                }
                progress.success("extracted artifact " + manifest.digest() + " to " + output);
                return 0;
            } catch (OciException e) {
                throw RegistryOptions.failure("pulling artifact failed", e);
            } catch (ArtifactArchive.UnsafeArchiveException e) {
                throw new CliException("the artifact is not safe to extract: " + e.getMessage());
            } finally {
                Files.deleteIfExists(blob);
            }
        }
    }

    @Command(name = "artifact", mixinStandardHelpOptions = true)
    static final class Tag implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "Artifact URL, oci://<registry>/<repository>:<tag> or @<digest>.")
        String url;
        @Option(names = "--tag", required = true, description = "Tag to add (repeat for several).")
        List<String> tags;
        @Mixin
        RegistryOptions registry = new RegistryOptions();

        @Override
        public Integer call() {
            OciReference ref = RegistryOptions.parse(url);
            OciClient client = registry.client(ref);
            Progress progress = Progress.to(spec.commandLine().getErr());
            try {
                for (String tag : tags) {
                    RegistryOptions.parse(ref.url() + ":" + tag);
                    String digest = FluxArtifacts.tag(client, ref, tag);
                    progress.success("artifact tagged as " + ref.url() + ":" + tag + "@" + digest);
                }
                return 0;
            } catch (OciException e) {
                throw RegistryOptions.failure("tagging artifact failed", e);
            }
        }
    }

    @Command(name = "artifacts", mixinStandardHelpOptions = true)
    static final class ListArtifacts implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "Repository URL, oci://<registry>/<repository>.")
        String url;
        @Option(names = "--semver", description = "Only tags in this semver range, highest first.")
        String semver;
        @Option(names = "--filter-regex", description = "Only tags this regular expression matches.")
        String filter;
        @Mixin
        RegistryOptions registry = new RegistryOptions();

        @Override
        public Integer call() {
            OciReference ref = RegistryOptions.parse(url);
            OciClient client = registry.client(ref);
            try {
                List<String> tags = TagFilter.select(client.tags(ref), semver, filter);
                Table table = new Table("ARTIFACT", "DIGEST", "SOURCE", "REVISION");
                for (String tag : tags) {
                    OciManifest manifest = client.manifest(ref.withTag(tag));
                    table.row(ref.url() + ":" + tag, manifest.digest(),
                            manifest.annotations().getOrDefault(FluxArtifacts.SOURCE_ANNOTATION, ""),
                            manifest.annotations().getOrDefault(FluxArtifacts.REVISION_ANNOTATION, ""));
                }
                spec.commandLine().getOut().print(table.render());
                spec.commandLine().getOut().flush();
                return 0;
            } catch (OciException e) {
                throw RegistryOptions.failure("listing artifacts failed", e);
            } catch (IllegalArgumentException e) {
                throw new CliException(e.getMessage(), ExitCodes.USAGE);
            }
        }
    }

    @Command(name = "artifact", mixinStandardHelpOptions = true)
    static final class Build implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--path", required = true, description = "Directory or file to archive.")
        Path path;
        @Option(names = {"--output", "-o"}, defaultValue = "artifact.tgz", description = "Where to write the tar.gz (default: ${DEFAULT-VALUE}).")
        Path output;
        @Option(names = "--ignore-paths", split = ",", description = "Paths to leave out, in .gitignore format.")
        List<String> ignorePaths = new ArrayList<>();

        @Override
        public Integer call() throws IOException {
            if (!Files.exists(path)) {
                throw new CliException("invalid path '" + path + "': it does not exist", ExitCodes.USAGE);
            }
            try (OutputStream out = Files.newOutputStream(output)) {
                ArtifactTarball.write(path, ignorePaths, out);
            }
            Progress.to(spec.commandLine().getErr()).success("artifact created at " + output);
            return 0;
        }
    }

    @Command(name = "artifact", mixinStandardHelpOptions = true)
    static final class Diff implements java.util.concurrent.Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "Artifact URL, oci://<registry>/<repository>:<tag>.")
        String url;
        @Option(names = "--path", required = true, description = "Directory or file to compare.")
        Path path;
        @Option(names = "--ignore-paths", split = ",", description = "Paths to leave out, in .gitignore format.")
        List<String> ignorePaths = new ArrayList<>();
        @Mixin
        RegistryOptions registry = new RegistryOptions();

        @Override
        public Integer call() throws IOException {
            OciReference ref = RegistryOptions.parse(url);
            OciClient client = registry.client(ref);
            try {
                OciManifest manifest = client.manifest(ref);
                Descriptor layer = manifest.layers().stream().filter(l -> FluxArtifacts.CONTENT_MEDIA_TYPE.equals(l.mediaType()))
                        .findFirst().orElseThrow(() -> new CliException("artifact " + ref + " has no Flux content layer"));
                ByteArrayOutputStream local = new ByteArrayOutputStream();
                ArtifactTarball.write(path, ignorePaths, local);
                String localDigest = io.currents.oci.Digests.sha256(local.toByteArray());
                if (!localDigest.equals(layer.digest())) {
                    spec.commandLine().getErr().println("✗ the remote artifact contents differs from the local one");
                    spec.commandLine().getErr().flush();
                    return ExitCodes.DRIFT;
                }
                Progress.to(spec.commandLine().getErr()).success("no changes detected");
                return 0;
            } catch (OciException e) {
                throw RegistryOptions.failure("diffing artifact failed", e);
            }
        }
    }
}
