package io.currents.cli.install;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A toolkit controller that {@code install} and {@code bootstrap} can deploy, with the CRDs it owns (as the flux
 * CLI installs only the CRDs of the chosen components). A component a release does not ship is marked unavailable.
 */
public enum Component {
    SOURCE("source-controller", true,
            "gitrepositories.source.toolkit.fluxcd.io", "helmrepositories.source.toolkit.fluxcd.io",
            "helmcharts.source.toolkit.fluxcd.io", "ocirepositories.source.toolkit.fluxcd.io",
            "buckets.source.toolkit.fluxcd.io", "externalartifacts.source.toolkit.fluxcd.io"),
    KUSTOMIZE("kustomize-controller", true, "kustomizations.kustomize.toolkit.fluxcd.io"),
    HELM("helm-controller", true, "helmreleases.helm.toolkit.fluxcd.io"),
    NOTIFICATION("notification-controller", true,
            "alerts.notification.toolkit.fluxcd.io", "providers.notification.toolkit.fluxcd.io",
            "receivers.notification.toolkit.fluxcd.io"),
    IMAGE_AUTOMATION("image-automation-controller", true,
            "imagerepositories.image.toolkit.fluxcd.io", "imagepolicies.image.toolkit.fluxcd.io",
            "imageupdateautomations.image.toolkit.fluxcd.io"),
    SOURCE_WATCHER("source-watcher", true, "artifactgenerators.source.extensions.fluxcd.io"),
    /** The web UI (docs/ui.md): no CRDs of its own, it reads the others' objects. */
    UI("ui", true);

    /** What {@code --components} defaults to: flux's defaults. */
    public static final String DEFAULTS = "source-controller,kustomize-controller,helm-controller,notification-controller";

    private final String id;
    private final boolean available;
    private final List<String> crds;

    Component(String id, boolean available, String... crds) {
        this.id = id;
        this.available = available;
        this.crds = List.of(crds);
    }

    /** The name used on the command line and for the Deployment, e.g. {@code source-controller}. */
    public String id() {
        return id;
    }

    public boolean available() {
        return available;
    }

    /** Names of the CRDs this controller reconciles, e.g. {@code gitrepositories.source.toolkit.fluxcd.io}. */
    public List<String> crds() {
        return crds;
    }

    /** The components of {@code --components} plus {@code --components-extra}, in a stable order, validated. */
    public static List<Component> resolve(List<String> components, List<String> extras) {
        Set<Component> chosen = new LinkedHashSet<>();
        List<String> names = new ArrayList<>(components == null ? List.of() : components);
        if (extras != null) {
            names.addAll(extras);
        }
        for (String raw : names) {
            String name = raw.trim();
            if (name.isEmpty()) {
                continue;
            }
            Component c = Arrays.stream(values()).filter(v -> v.id.equals(name)).findFirst()
                    .orElseThrow(() -> new CliException("component '" + name + "' is unknown; choose from: " + availableList(),
                            ExitCodes.USAGE));
            if (!c.available) {
                throw new CliException(c.id + " is not available in this release yet; available: " + availableList(),
                        ExitCodes.USAGE);
            }
            chosen.add(c);
        }
        if (chosen.isEmpty()) {
            throw new CliException("no components chosen; pass --components with some of: " + availableList(), ExitCodes.USAGE);
        }
        return Arrays.stream(values()).filter(chosen::contains).toList();
    }

    static String availableList() {
        return Arrays.stream(values()).filter(Component::available).map(Component::id).collect(Collectors.joining(", "));
    }
}
