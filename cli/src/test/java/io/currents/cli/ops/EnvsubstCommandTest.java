package io.currents.cli.ops;

import io.currents.cli.Currents;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code envsubst}: postBuild's expression language over standard input. */
class EnvsubstCommandTest {

    private static Cli.Run envsubst(String input, Map<String, String> environment, String... flags) {
        CommandLine cl = Currents.commandLine();
        ((EnvsubstCommand) cl.getSubcommands().get("envsubst").getCommand()).environment = environment;
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        try {
            String[] args = new String[flags.length + 1];
            args[0] = "envsubst";
            System.arraycopy(flags, 0, args, 1, flags.length);
            int code = cl.execute(args);
            return new Cli.Run(code, out.toString(), err.toString());
        } finally {
            System.setIn(before);
        }
    }

    private static final String INPUT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: ${APP}
              namespace: ${NAMESPACE:=default}
            spec:
              replicas: ${REPLICAS}
              template:
                metadata:
                  labels: {tier: "${TIER:-web}", name-length: "${#APP}", upper: "${APP^^}"}
                spec:
                  containers:
                    - command: [sh, -c, "echo $$HOME ${UNSET}"]
            """;

    @Test
    void expandsWithTheEnvironment() {
        Cli.Run r = envsubst(INPUT, Map.of("APP", "podinfo", "REPLICAS", "3"));
        assertThat(r.code()).as(r.toString()).isZero();
        Cli.assertGolden("envsubst/deployment.yaml", r.out());
    }

    @Test
    void strictFailsOnAnUnsetVariableWithoutDefault() {
        Cli.Run r = envsubst(INPUT, Map.of("APP", "podinfo", "REPLICAS", "3"), "--strict");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("✗ line 13: variable not set (strict mode): \"UNSET\"\n");
        Cli.Run complete = envsubst(INPUT, Map.of("APP", "podinfo", "REPLICAS", "3", "UNSET", "x"), "--strict");
        assertThat(complete.code()).as(complete.toString()).isZero();
        assertThat(complete.out()).contains("echo $HOME x");
    }
}
