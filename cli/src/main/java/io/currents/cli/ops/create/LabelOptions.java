package io.currents.cli.ops.create;

import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code --label key=value[,key=value]}: labels set on the created object. */
final class LabelOptions {

    @Option(names = "--label", split = ",", paramLabel = "<key=value>", description = "Labels to set on the object.")
    List<String> labels = new ArrayList<>();

    /** The labels by key, or null when none are given. */
    Map<String, String> parsed() {
        Map<String, String> parsed = new LinkedHashMap<>();
        for (String label : labels) {
            String[] kv = label.split("=", 2);
            if (kv.length != 2 || kv[0].isBlank()) {
                throw new CliException("invalid label '" + label + "'; use --label key=value", ExitCodes.USAGE);
            }
            parsed.put(kv[0], kv[1]);
        }
        return parsed.isEmpty() ? null : parsed;
    }
}
