package io.currents.notification.controller;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.currents.runtime.events.FluxEvent;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The {@code bitbucket} provider (Bitbucket Cloud): a build status on the commit through the 2.0 API
 * ({@code POST <api>/repositories/<owner>/<repo>/commit/<sha>/statuses/build}), key the SHA-1 of the commit status
 * identifier, state {@code SUCCESSFUL} or {@code FAILED}, name {@code kind/name}, the reason as description; the token
 * is {@code <username>:<app password>} for basic authentication. The status with that key is read first and an identical
 * one (state and description) is not posted again. {@code Progressing} events are skipped. The API is
 * {@code https://api.bitbucket.org/2.0}, or {@code BITBUCKET_API_BASE_URL}, which Flux's Bitbucket client honours too.
 */
final class BitbucketCommitStatus implements Notifier {

    private final Delivery delivery;
    private final String commitStatus;
    private final String repository;
    private final String authorization;

    BitbucketCommitStatus(ProviderSettings settings, Delivery delivery, String commitStatus, String apiBase) throws DispatchException {
        if (settings.token() == null) {
            throw new DispatchException("bitbucket token cannot be empty");
        }
        if (commitStatus == null || commitStatus.isEmpty()) {
            throw new DispatchException("commit status cannot be empty");
        }
        CommitStatus.Repository repo = CommitStatus.repository(settings.requireAddress("Bitbucket repository address"));
        String[] credentials = settings.token().split(":", -1);
        if (credentials.length != 2) {
            throw new DispatchException("invalid token format, expected to be <user>:<password>");
        }
        String[] parts = repo.path().split("/");
        if (parts.length != 2) {
            throw new DispatchException("invalid repository id \"" + repo.path() + "\"");
        }
        this.delivery = delivery;
        this.commitStatus = commitStatus;
        this.repository = (apiBase.endsWith("/") ? apiBase.substring(0, apiBase.length() - 1) : apiBase)
                + "/repositories/" + parts[0] + "/" + parts[1];
        this.authorization = Delivery.basic(credentials[0], credentials[1]);
    }

    static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void send(FluxEvent event) throws DispatchException, InterruptedException {
        if (CommitStatus.progressing(event)) {
            return;
        }
        String sha = CommitStatus.sha(event);
        String key = sha1(commitStatus);
        ObjectNode status = delivery.json.createObjectNode()
                .put("key", key)
                .put("url", "https://bitbucket.org")
                .put("state", Notifier.isError(event) ? "FAILED" : "SUCCESSFUL")
                .put("name", CommitStatus.name(event))
                .put("description", CommitStatus.description(event));
        Delivery.Answer existing = delivery.exchange(delivery.get(URI.create(repository + "/commit/" + sha + "/statuses/build/" + key))
                .header("Authorization", authorization).build(), code -> (code >= 200 && code < 300) || code == 404);
        if (existing.status() != 404) {
            try {
                JsonNode current = delivery.json.readTree(existing.body());
                if (current != null && current.path("state").asText().equals(status.path("state").asText())
                        && current.path("description").asText().equals(status.path("description").asText())) {
                    return;
                }
            } catch (IOException e) {
                throw new DispatchException("could not get commit status: Bitbucket answered with invalid JSON");
            }
        }
        delivery.send(delivery.json("POST", URI.create(repository + "/commit/" + sha + "/statuses/build"), status)
                .header("Authorization", authorization).build());
    }
}
