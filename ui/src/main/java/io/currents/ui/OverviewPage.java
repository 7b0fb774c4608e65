package io.currents.ui;

import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The overview: every Flux object with its Ready state. */
@Path("/")
public class OverviewPage {

    @Inject
    Template overview;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance get() {
        return overview.instance();
    }
}
