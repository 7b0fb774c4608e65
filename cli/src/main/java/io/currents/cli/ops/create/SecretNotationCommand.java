package io.currents.cli.ops.create;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.cli.output.CliException;
import io.currents.cli.output.ExitCodes;
import io.fabric8.kubernetes.api.model.Secret;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code currents create secret notation}: the root CA certificates and the trust policy with which source-controller
 * verifies artifacts signed by Notation ({@code spec.verify.provider: notation}), as flux's command writes them: one key
 * per certificate file (its file name) and {@code trustpolicy.json}.
 */
@Command(mixinStandardHelpOptions = true)
final class SecretNotationCommand extends SecretCommand {

    static final String TRUST_POLICY_KEY = "trustpolicy.json";
    private static final List<String> LEVELS = List.of("strict", "permissive", "audit", "skip");
    private static final List<String> STORE_TYPES = List.of("ca", "signingAuthority", "tsa");

    @Option(names = "--trust-policy-file", paramLabel = "<file>", description = "Notation trust policy file path.")
    Path trustPolicyFile;

    @Option(names = "--ca-cert-file", split = ",", paramLabel = "<file>", description = "Root CA certificate file path (.crt or .pem); repeatable.")
    List<Path> caCertFiles = new ArrayList<>();

    @Override
    Secret object() {
        if (caCertFiles.isEmpty()) {
            throw new CliException("--ca-cert-file is required", ExitCodes.USAGE);
        }
        if (trustPolicyFile == null) {
            throw new CliException("--trust-policy-file is required", ExitCodes.USAGE);
        }
        String policy = read(trustPolicyFile, "unable to read trust policy file");
        validate(policy, trustPolicyFile);
        Map<String, String> data = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (Path file : caCertFiles) {
            String fileName = file.getFileName().toString();
            if (!fileName.endsWith(".crt") && !fileName.endsWith(".pem")) {
                problems.add(fileName + " must end with either .crt or .pem");
                continue;
            }
            try {
                data.put(fileName, Files.readString(file));
            } catch (IOException e) {
                problems.add("unable to read TLS CA file: " + file + " (" + e.getMessage() + ")");
            }
        }
        if (!problems.isEmpty()) {
            throw new CliException(String.join("; ", problems), ExitCodes.USAGE);
        }
        data.put(TRUST_POLICY_KEY, policy);
        return secret(data);
    }

    private static String read(Path file, String what) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new CliException(what + ": " + file + " (" + e.getMessage() + ")", ExitCodes.USAGE);
        }
    }

    /** Notation's rules for a trust policy document (version 1.0), which source-controller enforces when verifying. */
    static void validate(String policy, Path file) {
        JsonNode doc;
        try {
            doc = new ObjectMapper().readTree(policy);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CliException("failed to unmarshal trust policy " + file + ": " + e.getOriginalMessage(), ExitCodes.USAGE);
        }
        if (doc == null || !doc.isObject()) {
            throw new CliException("failed to unmarshal trust policy " + file + ": the document is not a JSON object", ExitCodes.USAGE);
        }
        String version = doc.path("version").asText("");
        if (!version.equals("1.0")) {
            throw invalid("trust policy document uses unsupported version \"" + version + "\"");
        }
        JsonNode statements = doc.path("trustPolicies");
        if (!statements.isArray() || statements.isEmpty()) {
            throw invalid("trust policy document can not have zero trust policy statements");
        }
        Set<String> names = new HashSet<>();
        for (JsonNode statement : statements) {
            String name = statement.path("name").asText("");
            if (name.isBlank()) {
                throw invalid("a trust policy statement is missing a name, every statement requires a name");
            }
            if (!names.add(name)) {
                throw invalid("multiple trust policy statements use the same name \"" + name + "\", statement names must be unique");
            }
            if (!statement.path("registryScopes").isArray() || statement.path("registryScopes").isEmpty()) {
                throw invalid("trust policy statement \"" + name + "\" has zero registry scopes, it must specify registry scopes with at"
                        + " least one value");
            }
            String level = statement.path("signatureVerification").path("level").asText("");
            if (!LEVELS.contains(level)) {
                throw invalid("trust policy statement \"" + name + "\" uses invalid signatureVerification value \"" + level + "\"");
            }
            boolean stores = statement.path("trustStores").isArray() && !statement.path("trustStores").isEmpty();
            boolean identities = statement.path("trustedIdentities").isArray() && !statement.path("trustedIdentities").isEmpty();
            if (level.equals("skip")) {
                if (stores || identities) {
                    throw invalid("trust policy statement \"" + name + "\" is set to skip signature verification but configured with"
                            + " trust stores and/or trusted identities, remove them if signature verification needs to be skipped");
                }
                continue;
            }
            if (!stores || !identities) {
                throw invalid("trust policy statement \"" + name + "\" is either missing trust stores or trusted identities, both must"
                        + " be specified");
            }
            for (JsonNode store : statement.path("trustStores")) {
                String[] parts = store.asText("").split(":", 2);
                if (parts.length != 2 || !STORE_TYPES.contains(parts[0]) || parts[1].isBlank()) {
                    throw invalid("trust policy statement \"" + name + "\" uses an unsupported trust store \"" + store.asText("")
                            + "\" (expected ca:<name>, signingAuthority:<name> or tsa:<name>)");
                }
            }
        }
    }

    private static CliException invalid(String problem) {
        return new CliException("invalid trust policy: trust policy: " + problem, ExitCodes.USAGE);
    }
}
