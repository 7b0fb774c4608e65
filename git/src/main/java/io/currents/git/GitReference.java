package io.currents.git;

/**
 * What to check out of a Git repository, with Flux's {@code GitRepositoryRef} semantics: when
 * several fields are set, {@code commit} wins over {@code name}, then {@code semver}, {@code tag}
 * and finally {@code branch}; with nothing set the branch {@code master} is used.
 */
public record GitReference(String branch, String tag, String semver, String name, String commit) {

    /** Flux's default when a GitRepository has no {@code ref}. */
    public static final String DEFAULT_BRANCH = "master";

    /** The kind of reference that takes effect, in Flux's order of precedence. */
    public enum Kind { COMMIT, NAME, SEMVER, TAG, BRANCH }

    public static GitReference branch(String branch) {
        return new GitReference(branch, null, null, null, null);
    }

    public static GitReference tag(String tag) {
        return new GitReference(null, tag, null, null, null);
    }

    public static GitReference semver(String range) {
        return new GitReference(null, null, range, null, null);
    }

    /** A full ref name such as {@code refs/heads/main}, {@code refs/tags/v1} or {@code refs/pull/7/head}. */
    public static GitReference name(String refName) {
        return new GitReference(null, null, null, refName, null);
    }

    /** A commit, optionally on {@code branch} (which then must contain it and names the revision). */
    public static GitReference commit(String sha, String branch) {
        return new GitReference(branch, null, null, null, sha);
    }

    public Kind kind() {
        if (present(commit)) {
            return Kind.COMMIT;
        }
        if (present(name)) {
            return Kind.NAME;
        }
        if (present(semver)) {
            return Kind.SEMVER;
        }
        if (present(tag)) {
            return Kind.TAG;
        }
        return Kind.BRANCH;
    }

    /** The branch to use: the given one, or {@value #DEFAULT_BRANCH}. */
    public String effectiveBranch() {
        return present(branch) ? branch : DEFAULT_BRANCH;
    }

    /**
     * The branch this reference names: the branch to check out (the default when nothing is set),
     * else the {@code branch} field given alongside a commit, tag or name (null when there is none).
     */
    public String onBranch() {
        return kind() == Kind.BRANCH ? effectiveBranch() : present(branch) ? branch : null;
    }

    static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** A description for messages, e.g. {@code branch 'main'}. */
    public String describe() {
        return switch (kind()) {
            case COMMIT -> "commit '" + commit + "'" + (present(branch) ? " on branch '" + branch + "'" : "");
            case NAME -> "ref '" + name + "'";
            case SEMVER -> "semver range '" + semver + "'";
            case TAG -> "tag '" + tag + "'";
            case BRANCH -> "branch '" + effectiveBranch() + "'";
        };
    }
}
