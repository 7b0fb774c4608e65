package io.currents.cli.ops.create;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** The TLS flags of {@code create secret helm} and {@code create secret tls}: keys tls.crt, tls.key and ca.crt. */
final class TlsFileOptions {

    @Option(names = "--tls-crt-file", description = "TLS client certificate file (PEM).")
    Path certFile;
    @Option(names = "--tls-key-file", description = "TLS client private key file (PEM).")
    Path keyFile;
    @Option(names = "--ca-crt-file", description = "TLS certificate authority file (PEM).")
    Path caFile;

    boolean any() {
        return certFile != null || keyFile != null || caFile != null;
    }

    void putInto(Map<String, String> data) {
        if ((certFile == null) != (keyFile == null)) {
            throw new CliException("--tls-crt-file and --tls-key-file go together; give both or neither", ExitCodes.USAGE);
        }
        if (certFile != null) {
            data.put("tls.crt", Flags.read(certFile, "--tls-crt-file"));
            data.put("tls.key", Flags.read(keyFile, "--tls-key-file"));
        }
        if (caFile != null) {
            data.put("ca.crt", Flags.read(caFile, "--ca-crt-file"));
        }
    }
}
