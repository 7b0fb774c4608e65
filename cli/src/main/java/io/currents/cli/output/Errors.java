package io.currents.cli.output;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;

/** Turns exceptions from libraries into the one-sentence messages the CLI prints. */
public final class Errors {

    private Errors() {
    }

    /** One sentence for any failure: what went wrong and, where we can tell, what to do. */
    public static String describe(Throwable error) {
        if (error instanceof CliException cli) {
            return cli.getMessage();
        }
        Throwable root = rootCause(error);
        if (error instanceof KubernetesClientException kce || root instanceof KubernetesClientException) {
            KubernetesClientException k = error instanceof KubernetesClientException e ? e : (KubernetesClientException) root;
            Throwable unreachable = find(error, ConnectException.class, UnknownHostException.class);
            if (unreachable != null) {
                String why = unreachable instanceof UnknownHostException ? "unknown host " + unreachable.getMessage()
                        : unreachable.getMessage() == null ? "connection refused" : firstLine(unreachable.getMessage());
                return "cannot reach the Kubernetes API server (" + why
                        + "); check --kubeconfig, --context and that the cluster is running";
            }
            if (k.getCode() == 401) {
                return "the Kubernetes API server refused the credentials; refresh the kubeconfig or pick another --context";
            }
            if (k.getCode() == 403) {
                return "the Kubernetes API server forbids this: " + statusMessage(k)
                        + "; use a kubeconfig with more rights (installing needs cluster-admin)";
            }
            return "the Kubernetes API server answered: " + statusMessage(k);
        }
        if (root instanceof NoSuchFileException nsf) {
            return "file " + nsf.getFile() + " does not exist; check the path";
        }
        if (error instanceof UncheckedIOException || root instanceof IOException) {
            return firstLine(root.getMessage() == null ? root.toString() : root.getMessage());
        }
        String message = error.getMessage();
        return message == null || message.isBlank() ? error.toString() : firstLine(message);
    }

    private static String statusMessage(KubernetesClientException e) {
        if (e.getStatus() != null && e.getStatus().getMessage() != null) {
            return firstLine(e.getStatus().getMessage());
        }
        return firstLine(e.getMessage() == null ? "HTTP " + e.getCode() : e.getMessage());
    }

    @SafeVarargs
    private static Throwable find(Throwable error, Class<? extends Throwable>... types) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            for (Class<? extends Throwable> type : types) {
                if (type.isInstance(t)) {
                    return t;
                }
            }
        }
        return null;
    }

    static Throwable rootCause(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return (nl < 0 ? s : s.substring(0, nl)).trim();
    }
}
