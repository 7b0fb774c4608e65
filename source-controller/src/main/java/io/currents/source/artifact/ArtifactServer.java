package io.currents.source.artifact;

import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.FileSystemAccess;
import io.vertx.ext.web.handler.StaticHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Serves the artifact store over HTTP (Flux's {@code --storage-addr}, port 9090 by default) so that
 * other controllers download artifacts by URL; hidden temp files and directory listings are never served.
 */
@ApplicationScoped
public class ArtifactServer {

    @Inject
    ArtifactStorage storage;

    void routes(@Observes Router router) {
        StaticHandler files = StaticHandler.create(FileSystemAccess.ROOT, storage.root().toString())
                .setDirectoryListing(false)
                .setIncludeHidden(false)
                .setCachingEnabled(false)
                .setFilesReadOnly(false)
                .setSendVaryHeader(false);
        router.get("/*").order(1000).handler(files);
    }
}
