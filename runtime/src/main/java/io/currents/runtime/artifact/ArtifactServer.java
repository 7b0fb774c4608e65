package io.currents.runtime.artifact;

import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Serves the artifact store over HTTP (Flux's {@code --storage-addr}, port 9090 by default) at
 * {@code /<kind>/<namespace>/<name>/<file>}, so that other controllers download artifacts by URL.
 * Only regular files inside the store are served; temp files being written and directories never are.
 * Not a bean: the controllers that store artifacts (source-controller, source-watcher) add its route to their
 * HTTP server, the others never serve one.
 */
public final class ArtifactServer {

    private final ArtifactStorage storage;

    private ArtifactServer(ArtifactStorage storage) {
        this.storage = storage;
    }

    /** Adds the route serving {@code storage} to the application's router. */
    public static void route(Router router, ArtifactStorage storage) {
        ArtifactServer server = new ArtifactServer(storage);
        router.route("/:kind/:namespace/:name/:file").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(server::serve);
    }

    private void serve(RoutingContext ctx) {
        String file = ctx.pathParam("file");
        Path path;
        try {
            path = storage.fileFor(ArtifactStorage.relativePath(ctx.pathParam("kind"), ctx.pathParam("namespace"),
                    ctx.pathParam("name"), file));
        } catch (IllegalArgumentException e) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        // nothing whose path has a dot-segment is an artifact: the storage keeps private data there (Git mirrors)
        boolean hidden = java.util.stream.Stream.of("kind", "namespace", "name", "file").anyMatch(p -> ctx.pathParam(p).startsWith("."));
        if (hidden || !Files.isRegularFile(path)) {
            ctx.response().setStatusCode(404).end();
            return;
        }
        ctx.response().putHeader("Content-Type", file.endsWith(".tar.gz") || file.endsWith(".tgz") ? "application/gzip"
                : file.endsWith(".yaml") ? "application/x-yaml" : "application/octet-stream");
        if (ctx.request().method() == HttpMethod.HEAD) {
            ctx.response().putHeader("Content-Length", Long.toString(path.toFile().length())).end();
        } else {
            ctx.response().sendFile(path.toString());
        }
    }
}
