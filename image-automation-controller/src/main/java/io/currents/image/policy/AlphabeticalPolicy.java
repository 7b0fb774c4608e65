package io.currents.image.policy;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Flux's alphabetical policy: tags compared as byte strings; {@code asc} (default) picks the last
 * one (Z of A..Z), {@code desc} the first.
 */
public final class AlphabeticalPolicy implements TagPolicy {

    private final boolean ascending;

    public AlphabeticalPolicy(String order) throws PolicyException {
        this.ascending = TagPolicy.ascending(order);
    }

    @Override
    public Optional<String> latest(List<String> values) {
        Comparator<String> bytes = AlphabeticalPolicy::compareUtf8;
        return ascending ? values.stream().max(bytes) : values.stream().min(bytes);
    }

    static int compareUtf8(String a, String b) {
        return java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
