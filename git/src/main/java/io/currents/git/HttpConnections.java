package io.currents.git;

import org.eclipse.jgit.transport.http.HttpConnection;
import org.eclipse.jgit.transport.http.HttpConnectionFactory;

import javax.net.ssl.HostnameVerifier;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.HttpURLConnection;
import java.net.PasswordAuthentication;
import java.net.ProtocolException;
import java.net.Proxy;
import java.net.URL;
import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;

/**
 * Opens JGit's HTTP connections for one remote: through its proxy, with that proxy's credentials
 * and the remote's TLS settings attached to the connection itself (not to the JVM-wide
 * {@link Authenticator} or default SSL factory), so concurrent operations with different proxies
 * or certificates never see each other's settings.
 */
final class HttpConnections implements HttpConnectionFactory {

    private final Proxy proxy;
    private final Authenticator authenticator;
    private final SSLContext tls;

    /**
     * @param proxy null for the JVM's proxy selection
     * @param tls null for the JVM's default trust and no client certificate
     */
    HttpConnections(Proxy proxy, String username, char[] password, SSLContext tls) {
        this.proxy = proxy;
        this.tls = tls;
        this.authenticator = username == null ? null : new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return getRequestorType() == RequestorType.PROXY
                        ? new PasswordAuthentication(username, password) : null;
            }
        };
    }

    @Override
    public HttpConnection create(URL url) throws IOException {
        return create(url, null);
    }

    @Override
    public HttpConnection create(URL url, Proxy selected) throws IOException {
        Proxy effective = proxy != null ? proxy : selected;
        HttpURLConnection connection = (HttpURLConnection) (effective == null ? url.openConnection() : url.openConnection(effective));
        if (authenticator != null) {
            connection.setAuthenticator(authenticator);
        }
        if (tls != null && connection instanceof HttpsURLConnection https) {
            https.setSSLSocketFactory(tls.getSocketFactory());
        }
        return new Connection(connection);
    }

    /** JGit's view of one {@link HttpURLConnection}. */
    private record Connection(HttpURLConnection http) implements HttpConnection {

        @Override
        public int getResponseCode() throws IOException {
            return http.getResponseCode();
        }

        @Override
        public URL getURL() {
            return http.getURL();
        }

        @Override
        public String getResponseMessage() throws IOException {
            return http.getResponseMessage();
        }

        @Override
        public Map<String, List<String>> getHeaderFields() {
            return http.getHeaderFields();
        }

        @Override
        public void setRequestProperty(String key, String value) {
            http.setRequestProperty(key, value);
        }

        @Override
        public void setRequestMethod(String method) throws ProtocolException {
            http.setRequestMethod(method);
        }

        @Override
        public void setUseCaches(boolean useCaches) {
            http.setUseCaches(useCaches);
        }

        @Override
        public void setConnectTimeout(int timeout) {
            http.setConnectTimeout(timeout);
        }

        @Override
        public void setReadTimeout(int timeout) {
            http.setReadTimeout(timeout);
        }

        @Override
        public String getContentType() {
            return http.getContentType();
        }

        @Override
        public InputStream getInputStream() throws IOException {
            return http.getInputStream();
        }

        @Override
        public String getHeaderField(String name) {
            return http.getHeaderField(name);
        }

        @Override
        public List<String> getHeaderFields(String name) {
            for (Map.Entry<String, List<String>> header : http.getHeaderFields().entrySet()) {
                if (header.getKey() != null && header.getKey().equalsIgnoreCase(name)) {
                    return header.getValue();
                }
            }
            return List.of();
        }

        @Override
        public int getContentLength() {
            return http.getContentLength();
        }

        @Override
        public void setInstanceFollowRedirects(boolean follow) {
            http.setInstanceFollowRedirects(follow);
        }

        @Override
        public void setDoOutput(boolean doOutput) {
            http.setDoOutput(doOutput);
        }

        @Override
        public void setFixedLengthStreamingMode(int contentLength) {
            http.setFixedLengthStreamingMode(contentLength);
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            return http.getOutputStream();
        }

        @Override
        public void setChunkedStreamingMode(int chunkLength) {
            http.setChunkedStreamingMode(chunkLength);
        }

        @Override
        public String getRequestMethod() {
            return http.getRequestMethod();
        }

        @Override
        public boolean usingProxy() {
            return http.usingProxy();
        }

        @Override
        public void connect() throws IOException {
            http.connect();
        }

        @Override
        public void configure(KeyManager[] km, TrustManager[] tm, SecureRandom random)
                throws NoSuchAlgorithmException, KeyManagementException {
            if (http instanceof HttpsURLConnection https) {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(km, tm, random);
                https.setSSLSocketFactory(context.getSocketFactory());
            }
        }

        @Override
        public void setHostnameVerifier(HostnameVerifier verifier) {
            if (http instanceof HttpsURLConnection https) {
                https.setHostnameVerifier(verifier);
            }
        }
    }
}
