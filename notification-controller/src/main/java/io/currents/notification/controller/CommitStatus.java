package io.currents.notification.controller;

import io.currents.runtime.events.FluxEvent;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * What Flux's Git commit-status providers share: the commit SHA from the event's {@code revision} metadata
 * ({@code main@sha1:<sha>}, or the legacy {@code main/<sha>}), the status context
 * {@code <kind>/<name>/<first part of the provider's UID>} in lower case, the description (the reason split into
 * lower-case words), and the repository host and path from the provider address.
 */
final class CommitStatus {

    static final String PROGRESSING_REASON = "Progressing";

    private CommitStatus() {
    }

    static String sha(FluxEvent event) throws DispatchException {
        String revision = event.metadata() == null ? null : event.metadata().get(EventMetadata.REVISION);
        if (revision == null || revision.isEmpty()) {
            throw new DispatchException("missing revision metadata");
        }
        // Flux's revision forms: <ref>@sha1:<hash>, sha1:<hash>, the legacy <ref>/<hash>, or a bare hash
        int at = revision.lastIndexOf('@');
        String digest = at >= 0 ? revision.substring(at + 1) : revision;
        String sha;
        if (digest.startsWith("sha1:") || digest.startsWith("sha256:")) {
            sha = digest.substring(digest.indexOf(':') + 1);
        } else if (revision.contains("/")) {
            sha = revision.substring(revision.lastIndexOf('/') + 1);
        } else {
            sha = digest;
        }
        if (!sha.matches("[0-9a-fA-F]{40}|[0-9a-fA-F]{64}")) {
            throw new DispatchException("failed to extract commit hash from '" + revision + "' revision");
        }
        return sha;
    }

    /** Flux's default status identifier: {@code <kind>/<name>/<first block of the Provider's UID>}, lower case. */
    static String context(String providerUid, FluxEvent event) {
        String uid = providerUid == null ? "" : providerUid.split("-")[0];
        return (event.involvedObject().getKind() + "/" + event.involvedObject().getName() + "/" + uid).toLowerCase(Locale.ROOT);
    }

    /** Flux's status name: {@code <kind>/<name>}, lower case. */
    static String name(FluxEvent event) {
        return (event.involvedObject().getKind() + "/" + event.involvedObject().getName()).toLowerCase(Locale.ROOT);
    }

    /** The reason split into words as Flux splits camel case ({@code HealthCheckFailed}: "health check failed"). */
    static String description(FluxEvent event) {
        return String.join(" ", splitCamelCase(event.reason() == null ? "" : event.reason())).toLowerCase(Locale.ROOT);
    }

    /** Runs of lower case, upper case, digits and other characters; an upper-case run gives its last letter to a lower-case run after it. */
    static List<String> splitCamelCase(String s) {
        List<StringBuilder> runs = new ArrayList<>();
        int last = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int type = Character.isLowerCase(cp) ? 1 : Character.isUpperCase(cp) ? 2 : Character.isDigit(cp) ? 3 : 4;
            if (type == last) {
                runs.get(runs.size() - 1).appendCodePoint(cp);
            } else {
                runs.add(new StringBuilder().appendCodePoint(cp));
            }
            last = type;
            i += Character.charCount(cp);
        }
        for (int i = 0; i < runs.size() - 1; i++) {
            StringBuilder a = runs.get(i);
            StringBuilder b = runs.get(i + 1);
            if (Character.isUpperCase(a.codePointAt(0)) && Character.isLowerCase(b.codePointAt(0))) {
                int lastCp = a.codePointBefore(a.length());
                a.setLength(a.length() - Character.charCount(lastCp));
                b.insert(0, Character.toChars(lastCp));
            }
        }
        List<String> words = new ArrayList<>();
        for (StringBuilder run : runs) {
            if (!run.isEmpty()) {
                words.add(run.toString());
            }
        }
        return words;
    }

    static boolean progressing(FluxEvent event) {
        return PROGRESSING_REASON.equals(event.reason());
    }

    /** Scheme + host (+ port) and the repository path (without {@code .git}) of a Git address. */
    record Repository(String base, String host, String path) {
    }

    static Repository repository(String address) throws DispatchException {
        String a = address.trim();
        if (a.startsWith("git@")) {
            // scp-like SSH address git@host:owner/repo
            int colon = a.indexOf(':');
            a = "https://" + a.substring(4, colon) + "/" + a.substring(colon + 1);
        }
        URI uri;
        try {
            uri = URI.create(a);
        } catch (IllegalArgumentException e) {
            throw new DispatchException("invalid repository address '" + address + "'");
        }
        if (uri.getHost() == null || uri.getPath() == null) {
            throw new DispatchException("invalid repository address '" + address + "'");
        }
        String path = uri.getPath().replaceAll("^/+", "").replaceAll("/+$", "");
        if (path.endsWith(".git")) {
            path = path.substring(0, path.length() - 4);
        }
        if (path.isEmpty() || !path.contains("/")) {
            throw new DispatchException("invalid repository address '" + address + "': expected <host>/<owner>/<repository>");
        }
        String scheme = "ssh".equals(uri.getScheme()) ? "https" : uri.getScheme();
        String authority = uri.getPort() > 0 && !"ssh".equals(uri.getScheme()) ? uri.getHost() + ":" + uri.getPort() : uri.getHost();
        return new Repository(scheme + "://" + authority, uri.getHost(), path);
    }
}
