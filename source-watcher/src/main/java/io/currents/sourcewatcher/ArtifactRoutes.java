package io.currents.sourcewatcher;

import io.currents.runtime.artifact.ArtifactServer;
import io.currents.runtime.artifact.ArtifactStorage;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Serves the generated artifacts on this controller's HTTP port, where ExternalArtifacts' URLs point. */
@ApplicationScoped
public class ArtifactRoutes {

    @Inject
    ArtifactStorage storage;

    void routes(@Observes Router router) {
        ArtifactServer.route(router, storage);
    }
}
