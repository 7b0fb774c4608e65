package io.currents.cli.ops.create;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code currents create secret helm}: a Secret with basic-auth and/or TLS files for a Helm repository. */
@Command(mixinStandardHelpOptions = true)
final class SecretHelmCommand extends SecretCommand {

    @Option(names = {"-u", "--username"}, description = "Basic authentication username.")
    String username;
    @Option(names = {"-p", "--password"}, description = "Basic authentication password.")
    String password;
    @Mixin
    TlsFileOptions tls = new TlsFileOptions();

    @Override
    Secret object() {
        if (username == null && password == null && !tls.any()) {
            throw new CliException("no credentials given; use --username and --password, or the --tls-crt-file, "
                    + "--tls-key-file and --ca-crt-file flags", ExitCodes.USAGE);
        }
        if ((username == null) != (password == null)) {
            throw new CliException("--username and --password go together; give both", ExitCodes.USAGE);
        }
        Map<String, String> data = new LinkedHashMap<>();
        if (username != null) {
            data.put("username", username);
            data.put("password", password);
        }
        tls.putInto(data);
        return secret(data);
    }
}
