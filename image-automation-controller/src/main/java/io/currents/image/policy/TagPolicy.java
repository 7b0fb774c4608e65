package io.currents.image.policy;

import io.currents.api.image.v1.ImagePolicyChoice;

import java.util.List;
import java.util.Optional;

/** Picks the latest of a list of tags (or values extracted from tags) by one of Flux's policies. */
public interface TagPolicy {

    /** The latest value, or empty when none qualifies. */
    Optional<String> latest(List<String> values) throws PolicyException;

    /** The policy of an ImagePolicy's {@code spec.policy}: exactly one of semver, alphabetical, numerical. */
    static TagPolicy of(ImagePolicyChoice choice) throws PolicyException {
        if (choice == null) {
            throw new PolicyException("spec.policy is empty: set one of semver, alphabetical or numerical");
        }
        int set = (choice.getSemver() != null ? 1 : 0) + (choice.getAlphabetical() != null ? 1 : 0) + (choice.getNumerical() != null ? 1 : 0);
        if (set != 1) {
            throw new PolicyException("spec.policy must set exactly one of semver, alphabetical or numerical (found " + set + ")");
        }
        if (choice.getSemver() != null) {
            return new SemverPolicy(choice.getSemver().getRange());
        }
        if (choice.getAlphabetical() != null) {
            return new AlphabeticalPolicy(choice.getAlphabetical().getOrder());
        }
        return new NumericalPolicy(choice.getNumerical().getOrder());
    }

    static boolean ascending(String order) throws PolicyException {
        if (order == null || order.isEmpty() || order.equals("asc")) {
            return true;
        }
        if (order.equals("desc")) {
            return false;
        }
        throw new PolicyException("invalid order '" + order + "': use 'asc' or 'desc'");
    }
}
