package io.currents.cli.ops.create;

import io.currents.cli.ops.ClusterCommand;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.currents.cli.output.OutputFormat;
import io.currents.cli.output.Progress;
import io.currents.runtime.apply.Unstructured;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code currents create tenant <name> --with-namespace ns…}: per namespace, the Namespace (labelled
 * {@code toolkit.fluxcd.io/tenant=<name>}), a ServiceAccount and a RoleBinding {@code <name>-reconciler} giving
 * {@code --cluster-role} to that account and to the user {@code gotk:<ns>:reconciler}, as {@code flux create tenant}.
 */
@Command
public final class TenantCommand extends ClusterCommand {

    static final String TENANT_LABEL = "toolkit.fluxcd.io/tenant";
    private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

    @Parameters(index = "0", paramLabel = "<name>", description = "Name of the tenant.")
    String name;

    @Option(names = "--with-namespace", split = ",", required = true, paramLabel = "<namespace>",
            description = "A namespace belonging to this tenant (repeat or comma-separate for several).")
    List<String> namespaces;

    @Option(names = "--cluster-role", defaultValue = "cluster-admin",
            description = "The ClusterRole the tenant's role bindings grant (default: ${DEFAULT-VALUE}).")
    String clusterRole;

    @Option(names = "--with-service-account", paramLabel = "<name>", description = "The tenant's service account (default: the tenant name).")
    String account;

    @Option(names = "--skip-namespace", description = "Do not create the namespaces (they must exist).")
    boolean skipNamespace;

    @Mixin
    ExportOption export = new ExportOption();

    @Mixin
    LabelOptions labels = new LabelOptions();

    @Override
    public Integer call() {
        validate("tenant name", name);
        if (clusterRole == null || clusterRole.isBlank()) {
            throw new CliException("--cluster-role is required", ExitCodes.USAGE);
        }
        String accountName = account == null || account.isEmpty() ? name : account;
        validate("service-account name", accountName);
        List<List<HasMetadata>> perNamespace = new ArrayList<>();
        for (String ns : namespaces) {
            validate("namespace", ns);
            Map<String, String> objectLabels = new LinkedHashMap<>(labels.parsed() == null ? Map.of() : labels.parsed());
            objectLabels.put(TENANT_LABEL, name);
            List<HasMetadata> objects = new ArrayList<>();
            if (!skipNamespace) {
                objects.add(new NamespaceBuilder().withNewMetadata().withName(ns).withLabels(objectLabels).endMetadata().build());
            }
            objects.add(new ServiceAccountBuilder().withNewMetadata().withName(accountName).withNamespace(ns)
                    .withLabels(objectLabels).endMetadata().build());
            objects.add(new RoleBindingBuilder().withNewMetadata().withName(name + "-reconciler").withNamespace(ns)
                    .withLabels(objectLabels).endMetadata()
                    .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName("gotk:" + ns + ":reconciler").endSubject()
                    .addNewSubject().withKind("ServiceAccount").withName(accountName).withNamespace(ns).endSubject()
                    .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(clusterRole).endRoleRef()
                    .build());
            perNamespace.add(objects);
        }
        if (export.export) {
            StringBuilder text = new StringBuilder();
            perNamespace.forEach(objects -> objects.forEach(o -> text.append(OutputFormat.yaml.render(Unstructured.toMap(o)))));
            print(text.toString());
            return ExitCodes.OK;
        }
        Progress progress = newProgress();
        KubernetesClient client = kube.client();
        for (List<HasMetadata> objects : perNamespace) {
            for (HasMetadata o : objects) {
                String what = switch (o.getKind()) {
                    case "Namespace" -> "namespace";
                    case "ServiceAccount" -> "service account";
                    default -> "role binding";
                };
                progress.action("applying " + what + " " + o.getMetadata().getName());
                if (o instanceof RoleBinding binding) {
                    // roleRef cannot change: a binding to another role is replaced, as flux does
                    RoleBinding existing = client.rbac().roleBindings().inNamespace(binding.getMetadata().getNamespace())
                            .withName(binding.getMetadata().getName()).get();
                    if (existing != null && !binding.getRoleRef().equals(existing.getRoleRef())) {
                        client.resource(existing).withTimeoutInMillis(30_000).delete();
                    }
                }
                CreateCommand.apply(client, o);
            }
        }
        progress.success("tenant setup completed");
        return ExitCodes.OK;
    }

    private static void validate(String what, String value) {
        if (value == null || value.length() > 63 || !QUALIFIED_NAME.matcher(value).matches()) {
            throw new CliException("invalid " + what + " '" + value + "': must consist of alphanumeric characters, '-', '_' or '.', "
                    + "start and end with one, and be at most 63 characters", ExitCodes.USAGE);
        }
    }
}
