package io.currents.runtime.sops;

import io.currents.api.regex.GoRegex;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The {@code sops} block of an encrypted document: which values are encrypted, the MAC, and the wrapped data keys. */
record SopsMetadata(
        String lastModified,
        String mac,
        boolean macOnlyEncrypted,
        String unencryptedSuffix,
        String encryptedSuffix,
        String unencryptedRegex,
        String encryptedRegex,
        List<KeyGroup> keyGroups,
        int shamirThreshold) {

    /** The master keys of one key group, each holding the data key (or, with several groups, this group's part). */
    record KeyGroup(
            List<Map<String, Object>> ageKeys,
            List<Map<String, Object>> pgpKeys,
            List<Map<String, Object>> vaultKeys,
            List<Map<String, Object>> awsKmsKeys,
            List<Map<String, Object>> gcpKmsKeys,
            List<Map<String, Object>> azureKvKeys) {

        static KeyGroup of(Map<String, Object> keys) {
            return new KeyGroup(maps(keys.get("age")), maps(keys.get("pgp")), maps(keys.get("hc_vault")),
                    maps(keys.get("kms")), maps(keys.get("gcp_kms")), maps(keys.get("azure_kv")));
        }
    }

    static SopsMetadata parse(Map<String, Object> sops) {
        List<KeyGroup> groups = new ArrayList<>();
        // sops writes key_groups (and no top-level keys) when the file has several groups or was made with them
        for (Map<String, Object> group : maps(sops.get("key_groups"))) {
            groups.add(KeyGroup.of(group));
        }
        if (groups.isEmpty()) {
            groups.add(KeyGroup.of(sops));
        }
        Object macOnly = sops.get("mac_only_encrypted");
        int threshold;
        try {
            threshold = sops.get("shamir_threshold") == null ? 0 : Integer.parseInt(string(sops.get("shamir_threshold")));
        } catch (NumberFormatException e) {
            throw new SopsException("invalid shamir_threshold '" + sops.get("shamir_threshold") + "'");
        }
        return new SopsMetadata(
                string(sops.get("lastmodified")),
                string(sops.get("mac")),
                Boolean.TRUE.equals(macOnly) || "true".equals(macOnly),
                string(sops.get("unencrypted_suffix")),
                string(sops.get("encrypted_suffix")),
                string(sops.get("unencrypted_regex")),
                string(sops.get("encrypted_regex")),
                groups,
                // sops' default: every group is needed
                threshold <= 0 ? groups.size() : threshold);
    }

    /**
     * Whether the value at {@code path} is encrypted, by the same rules sops applies when encrypting: an
     * unencrypted suffix or regex on any key of the path excludes it, an encrypted suffix or regex is
     * required when set.
     */
    boolean isEncrypted(List<String> path) {
        boolean encrypted = true;
        if (!unencryptedSuffix.isEmpty() && path.stream().anyMatch(p -> p.endsWith(unencryptedSuffix))) {
            encrypted = false;
        }
        if (!encryptedSuffix.isEmpty()) {
            encrypted = path.stream().anyMatch(p -> p.endsWith(encryptedSuffix));
        }
        if (!unencryptedRegex.isEmpty()) {
            GoRegex p = GoRegex.compile(unencryptedRegex);
            if (path.stream().anyMatch(p::find)) {
                encrypted = false;
            }
        }
        if (!encryptedRegex.isEmpty()) {
            GoRegex p = GoRegex.compile(encryptedRegex);
            encrypted = path.stream().anyMatch(p::find);
        }
        return encrypted;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> maps(Object value) {
        List<Map<String, Object>> result = new ArrayList<>();
        if (value instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof Map<?, ?> map) {
                    result.add((Map<String, Object>) map);
                }
            }
        }
        return result;
    }

    private static String string(Object value) {
        return value == null ? "" : value.toString();
    }
}
