package io.currents.image.policy;

import java.util.List;
import java.util.Optional;

/**
 * Flux's numerical policy: every value must parse as a number (an error names the first that does
 * not); {@code asc} (default) picks the largest, {@code desc} the smallest.
 */
public final class NumericalPolicy implements TagPolicy {

    private final boolean ascending;

    public NumericalPolicy(String order) throws PolicyException {
        this.ascending = TagPolicy.ascending(order);
    }

    @Override
    public Optional<String> latest(List<String> values) throws PolicyException {
        String best = null;
        double bestValue = 0;
        for (String v : values) {
            double d;
            try {
                d = Double.parseDouble(v.trim());
                if (v.isBlank() || Double.isNaN(d) || v.trim().endsWith("d") || v.trim().endsWith("f")
                        || v.trim().endsWith("D") || v.trim().endsWith("F")) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new PolicyException("failed to parse invalid numeric value '" + v
                        + "': use filterTags to select only numeric tags (or extract the number)");
            }
            if (best == null || (ascending ? d > bestValue : d < bestValue)) {
                best = v;
                bestValue = d;
            }
        }
        return Optional.ofNullable(best);
    }
}
