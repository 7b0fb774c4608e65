package io.currents.notification.controller;

import com.google.api.gax.core.FixedCredentialsProvider;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.auth.oauth2.GoogleCredentials;
import com.google.cloud.pubsub.v1.Publisher;
import com.google.protobuf.ByteString;
import com.google.pubsub.v1.PubsubMessage;
import com.google.pubsub.v1.TopicName;
import io.currents.runtime.events.FluxEvent;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The {@code googlepubsub} provider: the event JSON published with Google's Pub/Sub client on the topic
 * {@code spec.channel} of the project {@code spec.address}, the Secret's {@code headers} as message attributes. It
 * authenticates with the JSON credentials in the Secret's {@code token}, or, without them, with the controller's own
 * Google credentials (GKE workload identity, as Flux's single-tenant setup). With {@code PUBSUB_EMULATOR_HOST} set (as
 * Google's clients, Flux's too, honour it) it talks plain gRPC to that emulator without credentials.
 */
final class GooglePubSubPublisher implements Notifier {

    private static final String SCOPE = "https://www.googleapis.com/auth/pubsub";

    private final ProviderSettings settings;
    private final Delivery delivery;
    private final String emulatorHost;

    GooglePubSubPublisher(ProviderSettings settings, Delivery delivery, String emulatorHost) throws DispatchException {
        if (settings.address() == null) {
            throw new DispatchException("GCP project ID cannot be empty");
        }
        if (settings.channel() == null) {
            throw new DispatchException("GCP Pub/Sub topic ID cannot be empty");
        }
        if (settings.serviceAccountName() != null) {
            throw new DispatchException("to use spec.serviceAccountName for provider authentication please enable the "
                    + "ObjectLevelWorkloadIdentity feature gate in the controller (Currents does not implement it: put JSON credentials in the Secret's 'token')");
        }
        this.settings = settings;
        this.delivery = delivery;
        this.emulatorHost = emulatorHost == null || emulatorHost.isBlank() ? null : emulatorHost.trim();
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        byte[] payload;
        try {
            payload = delivery.json.writeValueAsBytes(event);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new DispatchException("error json-marshaling event: " + e.getOriginalMessage());
        }
        TopicName topic = TopicName.of(settings.address(), settings.channel());
        ManagedChannel channel = null;
        Publisher publisher = null;
        try {
            Publisher.Builder builder = Publisher.newBuilder(topic);
            if (emulatorHost != null) {
                channel = ManagedChannelBuilder.forTarget(emulatorHost).usePlaintext().build();
                builder.setChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
                        .setCredentialsProvider(NoCredentialsProvider.create());
            } else if (settings.token() != null) {
                builder.setCredentialsProvider(FixedCredentialsProvider.create(GoogleCredentials
                        .fromStream(new ByteArrayInputStream(settings.token().getBytes(StandardCharsets.UTF_8))).createScoped(SCOPE)));
            }
            publisher = builder.build();
            PubsubMessage.Builder message = PubsubMessage.newBuilder().setData(ByteString.copyFrom(payload));
            if (!settings.headers().isEmpty()) {
                message.putAllAttributes(settings.headers());
            }
            publisher.publish(message.build()).get(settings.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            throw new DispatchException("invalid GCP JSON credentials in the Secret's 'token': " + e.getClass().getSimpleName());
        } catch (ExecutionException e) {
            throw new DispatchException("error publishing to GCP Pub/Sub topic " + topic + ": "
                    + (e.getCause() == null ? "failed" : e.getCause().getMessage()), true);
        } catch (TimeoutException e) {
            throw new DispatchException("error publishing to GCP Pub/Sub topic " + topic + ": no answer within "
                    + settings.timeout().toMillis() + "ms", true);
        } catch (RuntimeException e) {
            throw new DispatchException("error publishing to GCP Pub/Sub topic " + topic + ": " + e.getMessage());
        } finally {
            if (publisher != null) {
                publisher.shutdown();
                publisher.awaitTermination(5, TimeUnit.SECONDS);
            }
            if (channel != null) {
                channel.shutdownNow();
            }
        }
    }
}
