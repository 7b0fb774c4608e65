package io.currents.source.artifact;

import io.currents.runtime.artifact.ArtifactServer;
import io.currents.runtime.artifact.ArtifactStorage;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** Serves this controller's artifact storage on its HTTP port (Flux's {@code --storage-addr}). */
@ApplicationScoped
public class ArtifactRoutes {

    @Inject
    ArtifactStorage storage;

    void routes(@Observes Router router) {
        ArtifactServer.route(router, storage);
    }
}
