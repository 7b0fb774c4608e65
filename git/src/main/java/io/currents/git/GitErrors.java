package io.currents.git;

import org.eclipse.jgit.errors.NoRemoteRepositoryException;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Turns a JGit failure into Flux's reason and a message a person can act on, without credentials. */
final class GitErrors {

    private GitErrors() {
    }

    /**
     * @param action what was being done, e.g. {@code fetching branch 'main'}
     * @param wanted the reference asked for, named when the server does not have it (may be null)
     * @param deadline when the operation had to end (may be null)
     */
    static GitException classify(Exception e, String url, GitTransport transport, Duration timeout, Instant deadline,
                                 String action, String wanted) {
        String where = GitUrl.redact(url);
        String refusal = transport.hostKeyRefusal();
        if (refusal != null) {
            return new GitException(GitException.AUTHENTICATION_FAILED, "SSH host key verification failed: " + refusal);
        }
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = e; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        String lower = String.join(" | ", chain.stream().map(t -> String.valueOf(t.getMessage())).toList()).toLowerCase(Locale.ROOT);
        // JGit prefixes messages with the URL, which the message already names
        String detail = scrub(firstMessage(chain), transport).replaceFirst("^[a-zA-Z+]+://\\S*?: ", "");
        if (transport.expired() || (deadline != null && Instant.now().isAfter(deadline))
                || chain.stream().anyMatch(t -> t instanceof InterruptedIOException)
                || lower.contains("timed out") || lower.contains("timeout")) {
            return new GitException(GitException.GIT_OPERATION_FAILED, action + " from " + where + " timed out after " + format(timeout));
        }
        if (lower.contains("cannot log in") || lower.contains("no more authentication methods")) {
            return new GitException(GitException.AUTHENTICATION_FAILED, "the SSH server at " + where
                    + " refused the private key (is its public key registered for this repository?): " + detail);
        }
        if (lower.contains("not authorized") || lower.contains("authentication is required")
                || lower.contains("authentication not supported") || lower.contains("auth fail")
                || lower.contains("403 forbidden") || lower.contains("permission denied")) {
            return new GitException(GitException.AUTHENTICATION_FAILED, "authentication to " + where + " failed"
                    + (transport.auth().isEmpty() ? " (no credentials were given)" : "") + ": " + detail);
        }
        if (lower.contains("pkix") || lower.contains("ssl problems") || lower.contains("certificate")
                || lower.contains("handshake")) {
            return new GitException(GitException.GIT_OPERATION_FAILED, "TLS connection to " + where + " failed (check "
                    + "the CA in 'ca.crt' and the client certificate in 'tls.crt'/'tls.key'): " + detail);
        }
        for (Throwable t : chain) {
            if (t instanceof UnknownHostException) {
                return new GitException(GitException.GIT_OPERATION_FAILED,
                        "cannot reach " + where + ": unknown host '" + scrub(String.valueOf(t.getMessage()), transport) + "'");
            }
            if (t instanceof ConnectException || t instanceof NoRouteToHostException) {
                return new GitException(GitException.GIT_OPERATION_FAILED,
                        "cannot reach " + where + ": " + scrub(String.valueOf(t.getMessage()), transport));
            }
        }
        if (lower.contains("connection refused")) {
            return new GitException(GitException.GIT_OPERATION_FAILED, "cannot reach " + where + ": connection refused");
        }
        if (wanted != null && lower.contains("does not have") && lower.contains("available for fetch")) {
            return new GitException(GitException.GIT_OPERATION_FAILED, wanted + " not found in " + where);
        }
        if (chain.stream().anyMatch(t -> t instanceof NoRemoteRepositoryException) || lower.contains("invalid remote")
                || lower.contains("does not appear to be a git repository") || lower.contains("repository not found")) {
            // a URL that parses but names no repository: may be fixed on the server side, so not URLInvalid
            return new GitException(GitException.GIT_OPERATION_FAILED, "no Git repository found at " + where
                    + " (or it is not visible with the given credentials): " + detail);
        }
        if (lower.contains("uri not supported") || lower.contains("not supported") && lower.contains("uri")) {
            return new GitException(GitException.URL_INVALID, "'" + where + "' is not a usable Git URL: " + detail);
        }
        return new GitException(GitException.GIT_OPERATION_FAILED, action + " from " + where + " failed: " + detail);
    }

    private static String firstMessage(List<Throwable> chain) {
        // JGit's outermost message is usually the most specific one ("<url>: not authorized")
        for (Throwable t : chain) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                return t.getMessage();
            }
        }
        return "unknown error";
    }

    /** Removes credentials from a message: URL user-info and any literal secret the transport holds. */
    static String scrub(String message, GitTransport transport) {
        String result = GitUrl.redact(message);
        GitAuth auth = transport.auth();
        List<String> secrets = new ArrayList<>(List.of(nonNull(auth.password()), nonNull(auth.bearerToken()),
                nonNull(auth.passphrase())));
        if (transport.proxy() != null) {
            secrets.add(nonNull(transport.proxy().password()));
        }
        for (String secret : secrets) {
            if (secret.length() >= 3) {
                result = result.replace(secret, "***");
            }
        }
        return result;
    }

    /** {@code 60s}, or {@code 500ms} below a second. */
    static String format(Duration duration) {
        long ms = duration.toMillis();
        return ms % 1000 == 0 || ms > 10_000 ? duration.toSeconds() + "s" : ms + "ms";
    }

    private static String nonNull(String s) {
        return s == null ? "" : s;
    }
}
