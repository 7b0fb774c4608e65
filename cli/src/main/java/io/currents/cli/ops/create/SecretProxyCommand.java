package io.currents.cli.ops.create;

import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code currents create secret proxy}: the {@code address} (and basic auth) a source's {@code proxySecretRef} uses. */
@Command
final class SecretProxyCommand extends SecretCommand {

    @Option(names = "--address", required = true, description = "Proxy address, e.g. http://proxy.example.com:8080.")
    String address;
    @Option(names = {"-u", "--username"}, description = "Basic authentication username.")
    String username;
    @Option(names = {"-p", "--password"}, description = "Basic authentication password.")
    String password;

    @Override
    Secret object() {
        Map<String, String> data = new LinkedHashMap<>();
        data.put("address", address);
        if (username != null) {
            data.put("username", username);
        }
        if (password != null) {
            data.put("password", password);
        }
        return secret(data);
    }
}
