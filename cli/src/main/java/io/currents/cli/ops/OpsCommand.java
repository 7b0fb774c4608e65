package io.currents.cli.ops;

import io.fabric8.kubernetes.client.KubernetesClientException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.util.concurrent.Callable;

/** A command whose failures reach the user as one sentence saying what to do (API errors included). */
interface OpsCommand extends Callable<Integer> {

    Integer execute() throws Exception;

    @Override
    default Integer call() throws Exception {
        try {
            return execute();
        } catch (KubernetesClientException e) {
            throw translate(e);
        }
    }

    static OpsException translate(KubernetesClientException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ConnectException || t instanceof UnknownHostException || t instanceof HttpConnectTimeoutException
                    || (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("Connection refused"))) {
                return new OpsException("cannot reach the Kubernetes API server; check that the cluster is running and that "
                        + "--kubeconfig and --context point at it", e);
            }
        }
        String reason = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
        if (e.getCode() == 401 || e.getCode() == 403) {
            return new OpsException("the API server refused the request (" + reason + "); check the credentials and RBAC of your kubeconfig context", e);
        }
        return new OpsException("the API server answered: " + reason, e);
    }
}
