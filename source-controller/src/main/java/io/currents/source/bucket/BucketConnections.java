package io.currents.source.bucket;

import javax.net.ssl.HttpsURLConnection;
import java.io.IOException;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.URL;

/**
 * HTTP connections to a bucket's service on the JDK's HttpURLConnection, with the Bucket's proxy
 * ({@code proxySecretRef}), TLS material ({@code certSecretRef}) and timeout; the S3 and Cloud Storage clients both
 * open their connections here.
 */
final class BucketConnections {

    private BucketConnections() {
    }

    static HttpURLConnection open(URL url, BucketAccess access) throws IOException {
        int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, access.timeout().toMillis());
        BucketAccess.Proxy proxy = access.proxy();
        HttpURLConnection connection = (HttpURLConnection) url.openConnection(proxy == null ? java.net.Proxy.NO_PROXY
                : new java.net.Proxy(java.net.Proxy.Type.HTTP, new InetSocketAddress(proxy.address().getHost(),
                proxy.address().getPort() > 0 ? proxy.address().getPort() : 80)));
        connection.setConnectTimeout(timeoutMillis);
        connection.setReadTimeout(timeoutMillis);
        connection.setInstanceFollowRedirects(false);
        if (proxy != null && proxy.username() != null) {
            if ("http".equals(url.getProtocol())) {
                // sent up front: a request with a streamed body (a token POST) cannot be repeated after a 407
                connection.setRequestProperty("Proxy-Authorization", "Basic " + java.util.Base64.getEncoder().encodeToString(
                        (proxy.username() + ":" + (proxy.password() == null ? "" : proxy.password()))
                                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
            }
            // CONNECT tunnels (https) answer a 407 before any request body, so the authenticator covers them
            connection.setAuthenticator(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    return getRequestorType() == RequestorType.PROXY ? new PasswordAuthentication(proxy.username(),
                            proxy.password() == null ? new char[0] : proxy.password().toCharArray()) : null;
                }
            });
        }
        if (access.ssl() != null && connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(access.ssl().getSocketFactory());
        }
        return connection;
    }
}
