package io.currents.notification.controller;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.messaging.eventhubs.EventData;
import com.azure.messaging.eventhubs.EventDataBatch;
import com.azure.messaging.eventhubs.EventHubClientBuilder;
import com.azure.messaging.eventhubs.EventHubProducerClient;
import io.currents.runtime.events.FluxEvent;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;

/**
 * The {@code azureeventhub} provider: the event JSON sent as one event with Azure's Event Hubs client. With a SAS
 * connection string as address ({@code Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...;EntityPath=<hub>})
 * the connection string authenticates; otherwise {@code spec.address} is the Event Hub name and {@code spec.channel}
 * its namespace (completed with {@code .servicebus.windows.net} unless already fully qualified), authenticated with the
 * Secret's {@code token} as a JWT (deprecated in Flux) or the controller's Azure workload identity.
 */
final class AzureEventHubPublisher implements Notifier {

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final AzureCredentials azure;

    AzureEventHubPublisher(ProviderSettings settings, Delivery delivery, AzureCredentials azure) throws DispatchException {
        if (settings.address() == null) {
            throw new DispatchException("invalid authentication options: endpoint URL cannot be empty");
        }
        if (sas(settings.address())) {
            if (settings.serviceAccountName() != null) {
                throw new DispatchException("invalid authentication options: serviceAccountName and SAS authentication cannot be set at the same time");
            }
            if (settings.token() != null) {
                throw new DispatchException("invalid authentication options: jwt token and SAS authentication cannot be set at the same time");
            }
        } else if (settings.serviceAccountName() != null && settings.token() != null) {
            throw new DispatchException("invalid authentication options: serviceAccountName and jwt token authentication cannot be set at the same time");
        }
        this.settings = settings;
        this.delivery = delivery;
        this.azure = azure;
    }

    static boolean sas(String address) {
        return address.contains("SharedAccessKey");
    }

    /**
     * The host the Event Hubs client connects to: the {@code Endpoint=sb://<host>/} of a connection string, or the
     * fully qualified namespace in {@code spec.channel}; null when neither names one.
     */
    static String endpointHost(ProviderSettings settings) {
        if (sas(settings.address())) {
            for (String part : settings.address().split(";")) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equalsIgnoreCase("Endpoint")) {
                    return Dispatcher.addressHost(part.substring(eq + 1).strip());
                }
            }
            return null;
        }
        return settings.channel() == null ? null : fullyQualified(settings.channel().strip());
    }

    static String fullyQualified(String namespace) {
        return namespace.contains(".servicebus.") ? namespace : namespace + ".servicebus.windows.net";
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        byte[] payload;
        try {
            payload = delivery.json.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DispatchException("unable to marshall event: " + e.getOriginalMessage());
        }
        // the address is no URL, so the dispatcher's check of it saw no host: check the namespace the client connects to
        delivery.checkDestination("the Event Hubs namespace", endpointHost(settings));
        EventHubClientBuilder builder = new EventHubClientBuilder();
        if (sas(settings.address())) {
            builder.connectionString(settings.address());
        } else {
            if (settings.channel() == null) {
                throw new DispatchException("the Event Hub namespace (spec.channel) cannot be empty");
            }
            String bearer;
            if (settings.token() != null) {
                bearer = settings.token();
            } else {
                String authorization = azure.bearer(settings, AzureCredentials.EVENT_HUBS_SCOPE).authorization();
                bearer = authorization.substring("Bearer ".length());
            }
            TokenCredential credential = request -> Mono.just(new AccessToken(bearer, OffsetDateTime.now().plusMinutes(5)));
            builder.credential(fullyQualified(settings.channel()), settings.address(), credential);
        }
        EventHubProducerClient producer;
        try {
            producer = builder.buildProducerClient();
        } catch (RuntimeException e) {
            throw new DispatchException("failed to create an Event Hub producer: " + e.getMessage());
        }
        try {
            EventDataBatch batch = producer.createBatch();
            if (!batch.tryAdd(new EventData(payload))) {
                throw new DispatchException("failed to add event data to batch: the event is larger than the Event Hub accepts");
            }
            producer.send(batch);
        } catch (RuntimeException e) {
            throw new DispatchException("failed to send msg: " + e.getMessage(), true);
        } finally {
            producer.close();
        }
    }
}
