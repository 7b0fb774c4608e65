package io.currents.ui;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * The overview: every Flux object with its state, revision and age, filtered by namespace, kind, status and text,
 * one page of rows at a time; counts per status over the objects the other filters select.
 * {@code ?fragment=results} returns only the results, which the page's script fetches when the server reports a change.
 */
@Path("/")
public class OverviewPage {

    @Inject
    Template overview;

    @Inject
    ObjectStore store;

    @Inject
    UiConfig config;

    @Inject
    Layout layout;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance get(@QueryParam("namespace") String namespace, @QueryParam("kind") String kind,
                                @QueryParam("status") String status, @QueryParam("q") String text,
                                @QueryParam("page") Integer page, @QueryParam("fragment") String fragment) {
        Filter filter = new Filter(blank(namespace), blank(kind), blank(status), blank(text));
        Map<ObjectSummary.Status, Integer> counts = new EnumMap<>(ObjectSummary.Status.class);
        for (ObjectSummary.Status s : ObjectSummary.Status.values()) {
            counts.put(s, 0);
        }
        int suspended = 0;
        List<ObjectSummary> matching = new ArrayList<>();
        TreeSet<String> namespaces = new TreeSet<>();
        for (ObjectSummary object : store.all()) {
            if (object.namespace() != null) {
                namespaces.add(object.namespace());
            }
            if (!filter.selectsIgnoringStatus(object)) {
                continue;
            }
            counts.merge(object.status(), 1, Integer::sum);
            if (object.suspended()) {
                suspended++;
            }
            if (filter.selectsStatus(object)) {
                matching.add(object);
            }
        }
        int size = config.pageSize();
        int pages = Math.max(1, (matching.size() + size - 1) / size);
        int current = Math.min(Math.max(1, page == null ? 1 : page), pages);
        List<ObjectSummary> rows = matching.subList((current - 1) * size, Math.min(matching.size(), current * size));
        TemplateInstance instance = "results".equals(fragment) ? overview.getFragment("results").instance() : layout.page(overview);
        return instance.data("rows", rows).data("total", matching.size()).data("counts", counts).data("suspended", suspended)
                .data("filter", filter).data("namespaces", namespaces).data("kinds", new TreeSet<>(store.kinds().keySet()))
                .data("statuses", ObjectSummary.Status.values()).data("page", current).data("pages", pages)
                .data("previous", current > 1 ? filter.query(current - 1) : null)
                .data("next", current < pages ? filter.query(current + 1) : null);
    }

    private static String blank(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }

    /** The overview's filters; null selects everything. Status "suspended" selects suspended objects. */
    public record Filter(String namespace, String kind, String status, String text) {

        boolean selectsIgnoringStatus(ObjectSummary object) {
            return (namespace == null || namespace.equals(object.namespace()))
                    && (kind == null || kind.equals(object.kind()))
                    && (text == null || contains(object.name()) || contains(object.message()) || contains(object.revision()));
        }

        boolean selectsStatus(ObjectSummary object) {
            return status == null || ("suspended".equals(status) ? object.suspended() : status.equals(object.status().id()));
        }

        private boolean contains(String value) {
            return value != null && value.toLowerCase(Locale.ROOT).contains(text.toLowerCase(Locale.ROOT));
        }

        /** The overview's query string for another page with the same filters. */
        public String query(int page) {
            StringBuilder query = new StringBuilder("?page=").append(page);
            append(query, "namespace", namespace);
            append(query, "kind", kind);
            append(query, "status", status);
            append(query, "q", text);
            return query.toString();
        }

        /** The overview's query string with these filters and another status. */
        public String withStatus(String other) {
            return new Filter(namespace, kind, other, text).query(1);
        }

        private static void append(StringBuilder query, String name, String value) {
            if (value != null) {
                query.append('&').append(name).append('=').append(java.net.URLEncoder.encode(value, java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }
}
