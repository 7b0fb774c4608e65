package io.currents.cli.ops.create;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code currents create secret tls}: a Secret with a client certificate and/or a CA. */
@Command(mixinStandardHelpOptions = true)
final class SecretTlsCommand extends SecretCommand {

    @Mixin
    TlsFileOptions tls = new TlsFileOptions();

    @Override
    Secret object() {
        if (!tls.any()) {
            throw new CliException("no certificates given; use --tls-crt-file and --tls-key-file, --ca-crt-file, or both", ExitCodes.USAGE);
        }
        Map<String, String> data = new LinkedHashMap<>();
        tls.putInto(data);
        return secret(data);
    }
}
