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
        String sha;
        int at = revision.lastIndexOf('@');
        String digest = at >= 0 ? revision.substring(at + 1) : revision;
        if (digest.startsWith("sha1:")) {
            sha = digest.substring("sha1:".length());
        } else if (revision.contains("/")) {
            sha = revision.substring(revision.lastIndexOf('/') + 1);
        } else {
            sha = digest;
        }
        if (!sha.matches("[0-9a-fA-F]{7,64}")) {
            throw new DispatchException("revision '" + revision + "' does not name a Git commit (expected <ref>@sha1:<sha>)");
        }
        return sha;
    }

    static String context(String providerUid, FluxEvent event) {
        String uid = providerUid == null ? "" : providerUid.split("-")[0];
        return (event.involvedObject().getKind() + "/" + event.involvedObject().getName() + "/" + uid).toLowerCase(Locale.ROOT);
    }

    static String description(FluxEvent event) {
        String reason = event.reason() == null ? "" : event.reason();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < reason.length(); i++) {
            char c = reason.charAt(i);
            if (Character.isUpperCase(c) && !word.isEmpty() && !Character.isUpperCase(word.charAt(word.length() - 1))) {
                words.add(word.toString());
                word.setLength(0);
            }
            word.append(c);
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        String description = String.join(" ", words).toLowerCase(Locale.ROOT);
        return description.length() > 140 ? description.substring(0, 137) + "..." : description;
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
