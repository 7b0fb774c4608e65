package io.currents.git;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** What Currents needs to know about a Git URL: its transport, whether Flux accepts it, and how to print it safely. */
public final class GitUrl {

    private GitUrl() {
    }

    /** Whether the URL uses SSH: {@code ssh://…} or the scp-like {@code user@host:path}. */
    public static boolean isSsh(String url) {
        if (url == null) {
            return false;
        }
        String trimmed = url.trim();
        if (trimmed.toLowerCase(Locale.ROOT).startsWith("ssh://")) {
            return true;
        }
        return !trimmed.contains("://") && trimmed.indexOf('@') > 0 && trimmed.indexOf(':') > trimmed.indexOf('@');
    }

    /**
     * Checks a URL as Flux does for a GitRepository: only {@code http://}, {@code https://} and
     * {@code ssh://} with a host; the scp-like form is refused with the URL to use instead.
     *
     * @return the trimmed URL
     * @throws GitException {@code URLInvalid}, naming the URL without its user-info
     */
    public static String validate(String url) throws GitException {
        if (url == null || url.isBlank()) {
            throw new GitException(GitException.URL_INVALID, "the repository URL is empty");
        }
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new GitException(GitException.URL_INVALID, "'" + redact(url) + "' is not a valid URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("ssh")) {
            throw new GitException(GitException.URL_INVALID, "URL '" + redact(url)
                    + "' has an unsupported scheme: use http://, https:// or ssh:// (scp-like 'git@host:path' is not supported)");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new GitException(GitException.URL_INVALID, "URL '" + redact(url) + "' has no host");
        }
        return url.trim();
    }

    /** A URL (or any text containing URLs) without user-info. */
    public static String redact(String text) {
        return text == null ? "" : text.replaceAll("(?<=://)[^/@\\s]*@", "");
    }

    /** A URL (or text) with the password of its user-info masked, keeping the user name: {@code http://u:***@host}. */
    public static String maskPassword(String text) {
        return text == null ? "" : text.replaceAll("(?<=://)([^/:@\\s]*):[^/@\\s]*@", "$1:***@");
    }
}
