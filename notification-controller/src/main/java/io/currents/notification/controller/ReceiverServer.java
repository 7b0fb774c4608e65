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
import io.vertx.core.http.HttpServerOptions;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The webhook endpoint ({@code receiverAddr}, port 9292): {@code /hook/<sha256>} finds the Receiver announcing that
 * path, checks the call for the Receiver's type and annotates its resources with {@code reconcile.fluxcd.io/requestedAt}.
 * Unknown path: 404; bad signature or token: 401; suspended Receiver: 503; done: 200.
 * The endpoint faces the internet: the path is looked up in the informer's index before a byte of the body is read
 * (an unknown path costs no API call and no buffering), bodies are capped at {@link #MAX_BODY} and at most
 * {@link #MAX_IN_FLIGHT} calls are handled at once (503 beyond).
 */
@ApplicationScoped
public class ReceiverServer {

    private static final Logger LOG = Logger.getLogger(ReceiverServer.class);
    static final long MAX_BODY = 4L * 1024 * 1024;
    static final int MAX_IN_FLIGHT = 8;

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
    private final AtomicInteger inFlight = new AtomicInteger();

    void start(@Observes StartupEvent event) throws Exception {
        int colon = address.lastIndexOf(':');
        String host = colon <= 0 ? "0.0.0.0" : address.substring(0, colon);
        int port = Integer.parseInt(address.substring(colon + 1));
        CompletableFuture<HttpServer> started = new CompletableFuture<>();
        // HTTP/1.1 only (webhook senders use it): no h2c upgrade, whose streams a "Connection: close" cannot end
        vertx.createHttpServer(new HttpServerOptions().setHttp2ClearTextEnabled(false)).requestHandler(this::handle).listen(port, host).onComplete(ar -> {
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
        Optional<Receiver> found = path.startsWith(Receiver.WEBHOOK_PATH_PREFIX) ? objects.receiverFor(path) : Optional.empty();
        if (found.isEmpty()) {
            refuse(request, 404, "receiver not found");
            return;
        }
        String declared = request.getHeader("Content-Length");
        if (declared != null && declared.matches("[0-9]{1,18}") && Long.parseLong(declared) > MAX_BODY) {
            refuse(request, 413, "request body larger than " + MAX_BODY + " bytes");
            return;
        }
        if (inFlight.incrementAndGet() > MAX_IN_FLIGHT) {
            inFlight.decrementAndGet();
            refuse(request, 503, "too many webhook calls in progress");
            return;
        }
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                inFlight.decrementAndGet();
            }
        };
        if ("100-continue".equalsIgnoreCase(request.getHeader("Expect"))) {
            // the client waits for this before sending the body: only a known path gets it
            request.response().writeContinue();
        }
        request.response().endHandler(v -> release.run());
        request.response().closeHandler(v -> release.run());
        request.connection().closeHandler(v -> release.run());
        Buffer body = Buffer.buffer();
        request.handler(chunk -> {
            if (request.response().ended()) {
                return;
            }
            if (body.length() + chunk.length() > MAX_BODY) {
                refuse(request, 413, "request body larger than " + MAX_BODY + " bytes");
                return;
            }
            body.appendBuffer(chunk);
        });
        request.endHandler(v -> {
            if (request.response().ended()) {
                return;
            }
            vertx.<Answer>executeBlocking(() -> handle(found.get(), path, request, body.getBytes()), false).onComplete(ar -> {
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

    /** Answers at once and closes the connection, so that an unread body is never buffered. */
    private void refuse(HttpServerRequest request, int status, String message) {
        meters.counter("gotk_receiver_requests_total", "code", Integer.toString(status)).increment();
        request.response().setStatusCode(status).putHeader("Content-Type", "text/plain; charset=utf-8").putHeader("Connection", "close")
                .end(message + "\n").onComplete(v -> request.connection().close());
    }

    private record Answer(int status, String message) {
    }

    private Answer handle(Receiver receiver, String path, HttpServerRequest request, byte[] body) {
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
