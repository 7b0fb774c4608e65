package io.currents.notification.controller;

import io.currents.api.notification.v1.Receiver;
import io.currents.runtime.reconcile.Conditions;
import io.currents.runtime.reconcile.ReconcileFailure;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The webhook endpoint ({@code receiverAddr}, port 9292): {@code /hook/<sha256>} finds the Receiver announcing that
 * path, checks the call for the Receiver's type and annotates its resources with {@code reconcile.fluxcd.io/requestedAt}.
 * Unknown path: 404; bad signature or token: 401; suspended Receiver: 503; done: 200.
 */
@ApplicationScoped
public class ReceiverServer {

    private static final Logger LOG = Logger.getLogger(ReceiverServer.class);
    private static final long MAX_BODY = 10L * 1024 * 1024;

    @Inject
    Vertx vertx;
    @Inject
    KubernetesClient client;
    @Inject
    NotificationObjects objects;
    @Inject
    MeterRegistry meters;

    @ConfigProperty(name = "receiverAddr", defaultValue = ":9292")
    String address;
    @ConfigProperty(name = "no-cross-namespace-refs", defaultValue = "false")
    boolean noCrossNamespaceRefs;
    /** Google's ID token signing keys, which verify GCR Receivers' push tokens (Flux's idtoken validator fetches them there). */
    @ConfigProperty(name = "gcr-certs-url", defaultValue = "https://www.googleapis.com/oauth2/v3/certs")
    String googleCertsUrl;

    private final OidcTokens oidcTokens = new OidcTokens();

    private volatile HttpServer server;

    void start(@Observes StartupEvent event) throws Exception {
        int colon = address.lastIndexOf(':');
        String host = colon <= 0 ? "0.0.0.0" : address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        CompletableFuture<HttpServer> started = new CompletableFuture<>();
        vertx.createHttpServer().requestHandler(this::handle).listen(port, host).onComplete(ar -> {
            if (ar.succeeded()) {
                started.complete(ar.result());
            } else {
                started.completeExceptionally(ar.cause());
            }
        });
        server = started.get(30, TimeUnit.SECONDS);
        LOG.infof("webhook receiver listening on %s:%d", host, server.actualPort());
    }

    void stop(@Observes ShutdownEvent event) {
        if (server != null) {
            server.close();
        }
    }

    /** The port the receiver server listens on (useful when configured with port 0). */
    public int port() {
        return server.actualPort();
    }

    private void handle(HttpServerRequest request) {
        String path = request.path();
        if (!path.startsWith(Receiver.WEBHOOK_PATH_PREFIX)) {
            request.response().setStatusCode(404).end();
            return;
        }
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY) {
                request.response().setStatusCode(413).end();
                request.connection().close();
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (request.response().ended()) {
                return;
            }
            vertx.<Answer>executeBlocking(() -> handle(path, request, body.getBytes()), false).onComplete(ar -> {
                Answer answer = ar.succeeded() ? ar.result() : new Answer(500, "internal error");
                if (ar.failed()) {
                    LOG.errorf(ar.cause(), "webhook %s failed", path);
                }
                meters.counter("gotk_receiver_requests_total", "code", Integer.toString(answer.status)).increment();
                request.response().setStatusCode(answer.status).putHeader("Content-Type", "text/plain; charset=utf-8")
                        .end(answer.message == null ? "" : answer.message + "\n");
            });
        });
    }

    private record Answer(int status, String message) {
    }

    private Answer handle(String path, HttpServerRequest request, byte[] body) {
        Optional<Receiver> found = objects.receiverFor(path);
        if (found.isEmpty()) {
            return new Answer(404, "receiver not found");
        }
        Receiver receiver = found.get();
        String key = receiver.getMetadata().getNamespace() + "/" + receiver.getMetadata().getName();
        if (Boolean.TRUE.equals(receiver.getSpec().getSuspend())) {
            LOG.infof("receiver %s is suspended, ignoring the call", key);
            return new Answer(503, "receiver is suspended");
        }
        if (receiver.getStatus() == null || !Conditions.isTrue(receiver.getStatus().getConditions(), Conditions.READY)) {
            LOG.infof("receiver %s is not ready, ignoring the call", key);
            return new Answer(503, "receiver is not ready");
        }
        String token;
        Map<String, String> secret;
        try {
            token = ReceiverToken.read(client, receiver);
            secret = Receiver.TYPE_GCR.equals(receiver.getSpec().getType()) ? ReceiverToken.data(client, receiver) : Map.of();
        } catch (ReconcileFailure | DispatchException e) {
            LOG.errorf("receiver %s: %s", key, e.getMessage());
            return new Answer(400, "unable to validate payload");
        }
        if (!path.equals(ReceiverToken.webhookPath(token, receiver.getMetadata().getName(), receiver.getMetadata().getNamespace()))) {
            // the token changed since the path was published; the old path no longer authenticates anyone
            return new Answer(404, "receiver not found");
        }
        List<ReceiverFilters.Filter> filters;
        try {
            WebhookValidation.Validated call = WebhookValidation.validate(receiver,
                    new WebhookValidation.Context(token, secret, oidcTokens, googleCertsUrl), request::getHeader, body);
            filters = ReceiverFilters.of(receiver, request.getHeader("Content-Type"), call.body(), call.claims());
        } catch (WebhookValidation.Refused e) {
            // the reason goes to the log only: a caller who failed the check learns nothing about what it expected
            LOG.infof("receiver %s: refused a call: %s", key, e.getMessage());
            return new Answer(e.status, e.status == 400 ? "unable to validate payload" : "unable to process request");
        }
        try {
            List<String> annotated = new ReconcileRequester(client, noCrossNamespaceRefs).request(receiver, filters);
            LOG.infof("receiver %s: reconciliation requested for %s", key, annotated);
            return new Answer(200, "ok");
        } catch (DispatchException e) {
            LOG.errorf("receiver %s: %s", key, e.getMessage());
            return new Answer(500, e.getMessage());
        }
    }
}
