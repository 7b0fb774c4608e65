package io.currents.ui;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Flux object: status, conditions, events, spec, the artifact it used, its inventory with health and drift, its
 * history; the why-chain to its root cause; and the actions, performed as the logged-in user.
 */
@Path("/objects/{kind}/{namespace}/{name}")
@Produces(MediaType.TEXT_HTML)
public class ObjectPage {

    /** Inventory objects read live on one page. */
    static final int INVENTORY_LIMIT = 100;

    @Inject
    Template object;

    @Inject
    Template why;

    @Inject
    Template error;

    @Inject
    ObjectStore store;

    @Inject
    KubernetesClient client;

    @Inject
    LiveObjects liveObjects;

    @Inject
    History history;

    @Inject
    WhyChain whyChain;

    @Inject
    Actions actions;

    @Inject
    Layout layout;

    @Inject
    CurrentUser user;

    @Inject
    Sessions sessions;

    @GET
    public Response get(@PathParam("kind") String kind, @PathParam("namespace") String namespace, @PathParam("name") String name,
                        @QueryParam("diff") String diff, @QueryParam("fragment") String fragment, @QueryParam("done") String done) {
        Optional<FluxKind> fluxKind = store.kind(kind);
        Optional<GenericKubernetesResource> found = store.object(kind, namespace, name);
        if (fluxKind.isEmpty() || found.isEmpty()) {
            return notFound(kind + " " + namespace + "/" + name + " does not exist (or the UI has not seen it yet).");
        }
        GenericKubernetesResource resource = found.get();
        ObjectSummary summary = ObjectSummary.of(fluxKind.get(), resource);
        TemplateInstance page = "status".equals(fragment) ? object.getFragment("status").instance() : layout.page(object);
        page.data("o", summary).data("conditions", Maps.list(Maps.at(resource.getAdditionalProperties().get("status"), "conditions")));
        if (!"status".equals(fragment)) {
            List<References.Entry> inventory = References.inventory(resource);
            page.data("actions", Actions.offered(fluxKind.get())).data("done", done)
                    .data("events", events(fluxKind.get(), resource))
                    .data("spec", Serialization.asYaml(resource.getAdditionalProperties().get("spec")))
                    .data("artifact", artifact(fluxKind.get(), resource))
                    .data("history", History.statusHistory(resource))
                    .data("releases", "HelmRelease".equals(kind) ? history.helmReleases(resource) : List.of())
                    .data("inventoryCount", inventory.size())
                    .data("inventory", liveObjects.health(summary.href(), inventory, INVENTORY_LIMIT))
                    .data("diff", diff(inventory, diff));
        }
        return Response.ok(page).build();
    }

    @GET
    @Path("why")
    public Response why(@PathParam("kind") String kind, @PathParam("namespace") String namespace, @PathParam("name") String name) {
        Optional<ObjectSummary> summary = store.summary(kind, namespace, name);
        if (summary.isEmpty()) {
            return notFound(kind + " " + namespace + "/" + name + " does not exist (or the UI has not seen it yet).");
        }
        return Response.ok(layout.page(why).data("o", summary.get()).data("steps", whyChain.explain(kind, namespace, name))).build();
    }

    @POST
    @Path("actions")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(@PathParam("kind") String kind, @PathParam("namespace") String namespace, @PathParam("name") String name,
                        @FormParam("action") String actionId, @FormParam("csrf") String csrf) {
        UiUser current = user.get();
        if (!sessions.csrfValid(current, csrf)) {
            return errorPage(Response.Status.FORBIDDEN, "The form's security token is missing or stale: reload the page and try again.");
        }
        Optional<FluxKind> fluxKind = store.kind(kind);
        Optional<GenericKubernetesResource> found = store.object(kind, namespace, name);
        if (fluxKind.isEmpty() || found.isEmpty()) {
            return notFound(kind + " " + namespace + "/" + name + " does not exist.");
        }
        Optional<Actions.Action> action = Actions.Action.of(actionId).filter(a -> Actions.offered(fluxKind.get()).contains(a));
        if (action.isEmpty()) {
            return errorPage(Response.Status.BAD_REQUEST, kind + " has no action '" + actionId + "'.");
        }
        try {
            String done = actions.perform(current, fluxKind.get(), found.get(), action.get());
            return Response.seeOther(java.net.URI.create(ObjectSummary.of(fluxKind.get(), found.get()).href() + "?done="
                    + java.net.URLEncoder.encode(done, java.nio.charset.StandardCharsets.UTF_8))).build();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 403) {
                org.jboss.logging.Logger.getLogger(ObjectPage.class).infof("%s %s/%s: %s refused for %s by RBAC", kind, namespace, name,
                        action.get().id(), current.name());
                return errorPage(Response.Status.FORBIDDEN, "Kubernetes refused " + action.get().id() + " for " + current.name() + ": "
                        + Optional.ofNullable(e.getStatus()).map(s -> s.getMessage()).orElse(e.getMessage()));
            }
            return errorPage(Response.Status.BAD_GATEWAY, "The Kubernetes API failed: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return errorPage(Response.Status.CONFLICT, e.getMessage());
        }
    }

    private Response notFound(String message) {
        return errorPage(Response.Status.NOT_FOUND, message);
    }

    private Response errorPage(Response.Status status, String message) {
        return Response.status(status).entity(layout.page(error).data("status", status.getStatusCode())
                .data("title", status.getReasonPhrase()).data("message", message)).build();
    }

    private List<Event> events(FluxKind kind, GenericKubernetesResource resource) {
        try {
            List<Event> events = new ArrayList<>(client.v1().events().inNamespace(resource.getMetadata().getNamespace())
                    .withField("involvedObject.name", resource.getMetadata().getName())
                    .withField("involvedObject.kind", kind.kind()).list().getItems());
            events.sort(Comparator.comparing((Event e) -> Optional.ofNullable(e.getLastTimestamp())
                    .orElse(Optional.ofNullable(e.getEventTime()).map(t -> t.getTime()).orElse(""))).reversed());
            return events.subList(0, Math.min(50, events.size()));
        } catch (KubernetesClientException e) {
            return List.of();
        }
    }

    /** The artifact: the object's own (sources), else the one of its source and the revision it applied. */
    private Map<String, Object> artifact(FluxKind kind, GenericKubernetesResource resource) {
        Map<String, Object> own = Maps.map(Maps.at(resource.getAdditionalProperties().get("status"), "artifact"));
        if (!own.isEmpty()) {
            return own;
        }
        return References.source(store, kind, resource)
                .flatMap(ref -> store.object(ref.kind(), ref.namespace(), ref.name()))
                .map(source -> Maps.map(Maps.at(source.getAdditionalProperties().get("status"), "artifact")))
                .orElse(Map.of());
    }

    /** The live object and its drift, for the inventory entry {@code id}, or null. */
    private Map<String, Object> diff(List<References.Entry> inventory, String id) {
        if (id == null) {
            return null;
        }
        return inventory.stream().filter(e -> e.id().equals(id)).findFirst()
                .flatMap(entry -> liveObjects.get(entry).map(live -> Map.<String, Object>of("entry", entry,
                        "yaml", LiveObjects.maskedYaml(live), "drift", LiveObjects.drift(live))))
                .orElse(null);
    }
}
