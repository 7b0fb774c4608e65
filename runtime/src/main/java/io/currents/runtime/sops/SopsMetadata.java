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
        List<Map<String, Object>> ageKeys,
        List<Map<String, Object>> pgpKeys,
        List<Map<String, Object>> vaultKeys,
        List<Map<String, Object>> awsKmsKeys,
        List<Map<String, Object>> gcpKmsKeys,
        List<Map<String, Object>> azureKvKeys,
        int keyGroups) {

    @SuppressWarnings("unchecked")
    static SopsMetadata parse(Map<String, Object> sops) {
        List<Map<String, Object>> age = new ArrayList<>(maps(sops.get("age")));
        List<Map<String, Object>> pgp = new ArrayList<>(maps(sops.get("pgp")));
        List<Map<String, Object>> vault = new ArrayList<>(maps(sops.get("hc_vault")));
        List<Map<String, Object>> kms = new ArrayList<>(maps(sops.get("kms")));
        List<Map<String, Object>> gcp = new ArrayList<>(maps(sops.get("gcp_kms")));
        List<Map<String, Object>> azure = new ArrayList<>(maps(sops.get("azure_kv")));
        List<Map<String, Object>> groups = maps(sops.get("key_groups"));
        for (Map<String, Object> group : groups) {
            age.addAll(maps(group.get("age")));
            pgp.addAll(maps(group.get("pgp")));
            vault.addAll(maps(group.get("hc_vault")));
            kms.addAll(maps(group.get("kms")));
            gcp.addAll(maps(group.get("gcp_kms")));
            azure.addAll(maps(group.get("azure_kv")));
        }
        Object macOnly = sops.get("mac_only_encrypted");
        return new SopsMetadata(
                string(sops.get("lastmodified")),
                string(sops.get("mac")),
                Boolean.TRUE.equals(macOnly) || "true".equals(macOnly),
                string(sops.get("unencrypted_suffix")),
                string(sops.get("encrypted_suffix")),
                string(sops.get("unencrypted_regex")),
                string(sops.get("encrypted_regex")),
                age, pgp, vault, kms, gcp, azure, groups.size());
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
