package io.currents.runtime.events;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Records what a controller did: a Kubernetes Event on the object, and the same event as Flux's
 * JSON POSTed to notification-controller when {@code events-addr} is set (nothing is sent otherwise).
 */
@ApplicationScoped
public class EventRecorder {

    public static final String NORMAL = "Normal";
    public static final String WARNING = "Warning";

    private static final Logger LOG = Logger.getLogger(EventRecorder.class);

    @Inject
    KubernetesClient client;

    @Inject
    ObjectMapper json;

    @ConfigProperty(name = "events-addr")
    Optional<String> eventsAddress;

    @ConfigProperty(name = "currents.controller-name", defaultValue = "currents-controller")
    String controllerName;

    @ConfigProperty(name = "currents.instance")
    Optional<String> instance;

    private final Clock clock = Clock.systemUTC();
    private EventPoster poster;

    /** For CDI. */
    public EventRecorder() {
    }

    /** A recorder outside CDI (tools, tests): Kubernetes Events only, nothing posted. */
    public EventRecorder(KubernetesClient client, String controllerName) {
        this.client = client;
        this.json = new ObjectMapper();
        this.eventsAddress = Optional.empty();
        this.controllerName = controllerName;
        this.instance = Optional.empty();
    }

    /** The controller's name, as events report it (e.g. {@code kustomize-controller}). */
    public String controllerName() {
        return controllerName;
    }

    /** Records a Normal event (severity info). */
    public void normal(HasMetadata obj, String reason, String message, Map<String, String> metadata) {
        record(obj, NORMAL, reason, message, metadata);
    }

    /** Records a Warning event (severity error). */
    public void warning(HasMetadata obj, String reason, String message, Map<String, String> metadata) {
        record(obj, WARNING, reason, message, metadata);
    }

    public void record(HasMetadata obj, String type, String reason, String message, Map<String, String> metadata) {
        // events reach the namespace's readers and every Alert's Provider: no URL credentials, whatever the caller wrote
        String safe = Redaction.urlCredentials(message);
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        ObjectReference ref = referenceTo(obj);
        writeKubernetesEvent(obj, ref, type, reason, safe, metadata, now);
        eventsAddress.filter(a -> !a.isBlank()).ifPresent(address -> post(address, new FluxEvent(ref,
                WARNING.equals(type) ? FluxEvent.SEVERITY_ERROR : FluxEvent.SEVERITY_INFO,
                now.toString(), safe, reason, metadata == null ? Map.of() : metadata,
                controllerName, instanceName())));
    }

    static ObjectReference referenceTo(HasMetadata obj) {
        return new ObjectReferenceBuilder()
                .withApiVersion(obj.getApiVersion())
                .withKind(obj.getKind())
                .withNamespace(obj.getMetadata().getNamespace())
                .withName(obj.getMetadata().getName())
                .withUid(obj.getMetadata().getUid())
                .withResourceVersion(obj.getMetadata().getResourceVersion())
                .build();
    }

    private void writeKubernetesEvent(HasMetadata obj, ObjectReference ref, String type, String reason, String message,
                                      Map<String, String> metadata, Instant now) {
        String namespace = obj.getMetadata().getNamespace() == null ? "default" : obj.getMetadata().getNamespace();
        Map<String, String> annotations = new LinkedHashMap<>();
        if (metadata != null) {
            String group = obj.getApiVersion() == null ? "" : obj.getApiVersion().split("/")[0];
            metadata.forEach((k, v) -> annotations.put(group + "/" + k, v));
        }
        try {
            client.v1().events().inNamespace(namespace).resource(new EventBuilder()
                    .withNewMetadata()
                    .withName(obj.getMetadata().getName() + "." + Long.toHexString(System.nanoTime())
                            + UUID.randomUUID().toString().substring(0, 4))
                    .withNamespace(namespace)
                    .withAnnotations(annotations.isEmpty() ? null : annotations)
                    .endMetadata()
                    .withInvolvedObject(ref)
                    .withType(type)
                    .withReason(reason)
                    .withMessage(truncate(message, 1024))
                    .withFirstTimestamp(now.toString())
                    .withLastTimestamp(now.toString())
                    .withCount(1)
                    .withNewSource().withComponent(controllerName).endSource()
                    .withReportingComponent(controllerName)
                    .withReportingInstance(instanceName())
                    .build()).create();
        } catch (KubernetesClientException e) {
            LOG.debugf("could not record event %s on %s/%s: %s", reason, namespace, obj.getMetadata().getName(), e.getMessage());
        }
    }

    private void post(String address, FluxEvent event) {
        try {
            poster().post(URI.create(address), json.writeValueAsBytes(event));
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warnf("could not post event to %s: %s", address, e.getMessage());
        }
    }

    private synchronized EventPoster poster() {
        if (poster == null) {
            poster = new EventPoster(Duration.ofSeconds(1));
        }
        return poster;
    }

    private String instanceName() {
        if (instance.isPresent() && !instance.get().isBlank()) {
            return instance.get();
        }
        String host = System.getenv("HOSTNAME");
        return host == null ? controllerName : host.toLowerCase(Locale.ROOT);
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 3) + "...";
    }
}
