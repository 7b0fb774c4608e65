package io.currents.ui;

import io.currents.api.meta.FluxMeta;
import io.currents.api.meta.ReconcileRequestPatch;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The UI's actions, each one performed as the logged-in user through Kubernetes impersonation (so the user's RBAC
 * decides, and the API server's audit log names them) and recorded as a Kubernetes Event on the object.
 */
@ApplicationScoped
public class Actions {

    private static final Logger LOG = Logger.getLogger(Actions.class);

    /** What a user can ask for. */
    public enum Action {
        RECONCILE("reconcile", "ReconcileRequested"),
        RECONCILE_WITH_SOURCE("reconcile-with-source", "ReconcileRequested"),
        SUSPEND("suspend", "SuspendRequested"),
        RESUME("resume", "ResumeRequested"),
        FORCE("force", "ForceRequested"),
        RESET("reset", "ResetRequested");

        private final String id;
        private final String reason;

        Action(String id, String reason) {
            this.id = id;
            this.reason = reason;
        }

        public String id() {
            return id;
        }

        /** The button's words. */
        public String label() {
            return id.replace('-', ' ');
        }

        static java.util.Optional<Action> of(String id) {
            for (Action a : values()) {
                if (a.id.equals(id)) {
                    return java.util.Optional.of(a);
                }
            }
            return java.util.Optional.empty();
        }
    }

    @Inject
    KubernetesClient client;

    @Inject
    ObjectStore store;

    /** The actions a kind offers. */
    public static List<Action> offered(FluxKind kind) {
        if (!kind.reconcilable()) {
            return List.of();
        }
        return switch (kind.kind()) {
            case "HelmRelease" -> List.of(Action.RECONCILE, Action.RECONCILE_WITH_SOURCE, Action.SUSPEND, Action.RESUME,
                    Action.FORCE, Action.RESET);
            case "Kustomization" -> List.of(Action.RECONCILE, Action.RECONCILE_WITH_SOURCE, Action.SUSPEND, Action.RESUME);
            default -> List.of(Action.RECONCILE, Action.SUSPEND, Action.RESUME);
        };
    }

    /**
     * Performs the action as {@code user}; a KubernetesClientException with code 403 when their RBAC denies it.
     * Returns what was done, for the page.
     */
    public String perform(UiUser user, FluxKind kind, GenericKubernetesResource object, Action action) {
        String namespace = object.getMetadata().getNamespace();
        String name = object.getMetadata().getName();
        String token = ReconcileRequestPatch.token(Instant.now());
        try (KubernetesClient asUser = impersonating(user)) {
            Map<String, Object> patch = switch (action) {
                case RECONCILE, RECONCILE_WITH_SOURCE -> ReconcileRequestPatch.request(token, List.of());
                case FORCE -> ReconcileRequestPatch.request(token, List.of(FluxMeta.FORCE_REQUEST_ANNOTATION));
                case RESET -> ReconcileRequestPatch.request(token, List.of(FluxMeta.RESET_REQUEST_ANNOTATION));
                case SUSPEND -> ReconcileRequestPatch.suspend(true, user.name() + " (Currents UI)", null, token);
                case RESUME -> ReconcileRequestPatch.suspend(false, null, null, token);
            };
            String done = "";
            if (action == Action.RECONCILE_WITH_SOURCE) {
                GenericKubernetesResource source = References.source(store, kind, object)
                        .flatMap(ref -> store.object(ref.kind(), ref.namespace(), ref.name()))
                        .orElseThrow(() -> new IllegalArgumentException("the source of " + kind.kind() + " " + namespace + "/" + name
                                + " is not in the cluster"));
                FluxKind sourceKind = store.kind(source.getKind()).orElseThrow();
                patch(asUser, sourceKind, source, ReconcileRequestPatch.request(token, List.of()));
                record(user, sourceKind, source, Action.RECONCILE);
                done = source.getKind() + " " + source.getMetadata().getNamespace() + "/" + source.getMetadata().getName() + " and ";
            }
            patch(asUser, kind, object, patch);
            record(user, kind, object, action);
            return done + kind.kind() + " " + namespace + "/" + name + ": " + action.id() + " requested as " + user.name();
        }
    }

    private static void patch(KubernetesClient asUser, FluxKind kind, GenericKubernetesResource object, Map<String, Object> body) {
        asUser.genericKubernetesResources(kind.context()).inNamespace(object.getMetadata().getNamespace())
                .withName(object.getMetadata().getName()).patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(body));
    }

    private KubernetesClient impersonating(UiUser user) {
        Config config = new ConfigBuilder(client.getConfiguration()).withImpersonateUsername(user.name())
                .withImpersonateGroups(user.groups().toArray(String[]::new)).build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** The audit record: a Normal event on the object naming the user, written with the UI's own account. */
    private void record(UiUser user, FluxKind kind, GenericKubernetesResource object, Action action) {
        String now = Instant.now().toString();
        String message = action.id() + " requested by " + user.name()
                + (user.groups().isEmpty() ? "" : " (groups " + String.join(", ", user.groups()) + ")") + " from the Currents UI";
        LOG.infof("%s %s/%s: %s", kind.kind(), object.getMetadata().getNamespace(), object.getMetadata().getName(), message);
        try {
            client.v1().events().inNamespace(object.getMetadata().getNamespace()).resource(new EventBuilder()
                    .withNewMetadata().withGenerateName(object.getMetadata().getName() + ".").endMetadata()
                    .withNewInvolvedObject().withApiVersion(kind.apiVersion()).withKind(kind.kind())
                    .withNamespace(object.getMetadata().getNamespace()).withName(object.getMetadata().getName())
                    .withUid(object.getMetadata().getUid()).endInvolvedObject()
                    .withType("Normal").withReason(action.reason).withMessage(message)
                    .withNewSource().withComponent("currents-ui").endSource().withReportingComponent("currents-ui")
                    .withFirstTimestamp(now).withLastTimestamp(now).withCount(1).build()).create();
        } catch (RuntimeException e) {
            LOG.warnf("could not record the audit event of %s on %s/%s: %s", action.id(), object.getMetadata().getNamespace(),
                    object.getMetadata().getName(), e.getMessage());
        }
    }
}
