package io.currents.cli.ops.create;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code currents create secret oci}: a docker-registry Secret ({@code .dockerconfigjson}) for one registry host. */
@Command(mixinStandardHelpOptions = true)
public final class SecretOciCommand extends SecretCommand {

    @Option(names = "--url", required = true, description = "Registry host, e.g. ghcr.io (an oci:// or https:// prefix and a path are dropped).")
    String url;
    @Option(names = {"-u", "--username"}, required = true, description = "Registry username.")
    String username;
    @Option(names = {"-p", "--password"}, required = true, description = "Registry password or token.")
    String password;

    @Override
    Secret object() {
        Secret secret = secret(Map.of(".dockerconfigjson", dockerConfigJson(url, username, password)));
        secret.setType("kubernetes.io/dockerconfigjson");
        return secret;
    }

    /**
     * The {@code .dockerconfigjson} of one registry host with these credentials; a scheme and a path in {@code url} are dropped.
     * {@code install --registry-creds} creates its image pull Secret with it.
     */
    public static String dockerConfigJson(String url, String username, String password) {
        String host = url.replaceFirst("^[a-zA-Z][a-zA-Z0-9+.-]*://", "").replaceFirst("/.*$", "");
        if (host.isEmpty()) {
            throw new CliException("--url '" + url + "' has no registry host; use e.g. --url=ghcr.io", ExitCodes.USAGE);
        }
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("username", username);
        entry.put("password", password);
        entry.put("auth", Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8)));
        String json;
        try {
            json = Serialization.jsonMapper().writeValueAsString(Map.of("auths", Map.of(host, entry)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return json;
    }
}
