package io.currents.oci;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * An OCI repository address, {@code oci://registry[:port]/path} (no tag or digest: those come from the ref), as
 * Flux's OCIRepository and OCI HelmRepository URLs and the CLI's artifact URLs spell it, optionally with
 * {@code :tag} or {@code @sha256:…} when {@link #parseWithReference parsed with one}.
 */
public record OciReference(String registry, String repository, String tag, String digest) {

    private static final Pattern PATH_COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    /** Parses {@code oci://host/repo} (no tag, no digest). */
    public static OciReference parse(String url) throws OciException {
        OciReference ref = parseWithReference(url);
        if (ref.tag != null || ref.digest != null) {
            throw invalid(url, "the URL must not carry a tag or digest; use the ref");
        }
        return ref;
    }

    /** Parses {@code oci://host/repo[:tag][@sha256:…]}. */
    public static OciReference parseWithReference(String url) throws OciException {
        if (url == null || !url.startsWith("oci://")) {
            throw invalid(url, "the URL must start with oci://");
        }
        String rest = url.substring("oci://".length());
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw invalid(url, "'" + digest + "' is not a sha256 digest");
            }
        }
        int slash = rest.indexOf('/');
        if (slash <= 0 || slash == rest.length() - 1) {
            throw invalid(url, "expected oci://<registry>/<repository>");
        }
        String registry = rest.substring(0, slash).toLowerCase(Locale.ROOT);
        String path = rest.substring(slash + 1);
        String tag = null;
        int colon = path.lastIndexOf(':');
        if (colon >= 0) {
            tag = path.substring(colon + 1);
            path = path.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(url, "'" + tag + "' is not a valid tag");
            }
        }
        if (!registry.matches("[a-z0-9.-]+(:[0-9]{1,5})?") && !registry.matches("\\[[0-9a-f:]+](:[0-9]{1,5})?")) {
            throw invalid(url, "'" + registry + "' is not a registry host");
        }
        for (String component : path.split("/", -1)) {
            if (!PATH_COMPONENT.matcher(component).matches()) {
                throw invalid(url, "'" + path + "' is not a valid repository path");
            }
        }
        if ("docker.io".equals(registry) || "index.docker.io".equals(registry)) {
            registry = "registry-1.docker.io";
            if (!path.contains("/")) {
                path = "library/" + path;
            }
        }
        return new OciReference(registry, path, tag, digest);
    }

    /** The same repository with another tag (no digest). */
    public OciReference withTag(String newTag) {
        return new OciReference(registry, repository, newTag, null);
    }

    /** The tag, or the digest, or {@code latest}. */
    public String reference() {
        return digest != null ? digest : tag != null ? tag : "latest";
    }

    /** {@code oci://registry/repository}, without tag or digest. */
    public String url() {
        return "oci://" + registry + "/" + repository;
    }

    /** {@code registry/repository}, as cosign's docker-reference. */
    public String name() {
        return registry + "/" + repository;
    }

    @Override
    public String toString() {
        return url() + (tag != null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    private static OciException invalid(String url, String why) {
        return new OciException(OciException.Kind.INVALID_REFERENCE, "invalid OCI URL '" + url + "': " + why);
    }
}
