package io.currents.e2e;

import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Reader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A TLS-terminating proxy in front of the local kube-apiserver that injects API faults: answers with an error status
 * (429 with {@code Retry-After}, 500) or delays requests that match a rule, and records every request so a test can
 * count them. It serves with the API server's own certificate, so a client of the API server's kubeconfig accepts it
 * (the {@link io.currents.testkit.TcpProxy} in front of the API server is pointed at it), and forwards with the admin
 * client certificate. Each connection carries one request ({@code Connection: close} upstream); a watch, a plain
 * streaming response or a WebSocket upgrade, is relayed byte for byte until either side closes.
 */
final class FaultyApiServer implements AutoCloseable {

    /** A request as it arrived. */
    record Request(Instant at, String method, String path, String query) {
    }

    /** What to do with the requests that match: answer {@code status} (0: forward) after {@code delay}. */
    record Fault(Predicate<Request> matches, int status, Duration delay) {
    }

    private final SSLServerSocket server;
    private final SSLSocketFactory upstream;
    private final int apiServerPort;
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private volatile Fault fault;

    private FaultyApiServer(SSLServerSocket server, SSLSocketFactory upstream, int apiServerPort) {
        this.server = server;
        this.upstream = upstream;
        this.apiServerPort = apiServerPort;
    }

    /** Starts in front of the API server at {@code https://127.0.0.1:<port>} with kube-api-test's files in {@code dir}. */
    static FaultyApiServer start(int apiServerPort, Path dir) {
        try {
            Certificate apiCert = certificate(dir.resolve("apiserver.crt"));
            SSLServerSocket server = (SSLServerSocket) context(apiCert, key(dir.resolve("apiserver.key")), null)
                    .getServerSocketFactory().createServerSocket(0, 64, InetAddress.getLoopbackAddress());
            // HTTP/1.1 only: the request is read as text
            SSLParameters parameters = server.getSSLParameters();
            parameters.setApplicationProtocols(new String[] {"http/1.1"});
            server.setSSLParameters(parameters);
            SSLSocketFactory client = context(certificate(dir.resolve("client.crt")), key(dir.resolve("client.key")), apiCert).getSocketFactory();
            FaultyApiServer proxy = new FaultyApiServer(server, client, apiServerPort);
            Thread.ofVirtual().name("faulty-api-accept").start(proxy::accept);
            return proxy;
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the faulty API server proxy", e);
        }
    }

    int port() {
        return server.getLocalPort();
    }

    /** Applies {@code fault} to the matching requests from now on; {@code null} forwards everything. */
    void inject(Fault fault) {
        this.fault = fault;
    }

    List<Request> requests() {
        return List.copyOf(requests);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] requestLine = head.substring(0, head.indexOf("\r\n")).split(" ");
            URI uri = URI.create(requestLine[1]);
            Request request = new Request(Instant.now(), requestLine[0], uri.getPath(), uri.getRawQuery());
            requests.add(request);
            Fault f = fault;
            if (f != null && f.matches().test(request)) {
                if (!f.delay().isZero()) {
                    Thread.sleep(f.delay().toMillis());
                }
                if (f.status() > 0) {
                    // the body is read first: unread bytes at close would reset the connection before the answer arrives
                    java.util.regex.Matcher length = java.util.regex.Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(head);
                    in.readNBytes(length.find() ? Integer.parseInt(length.group(1)) : 0);
                    refuse(client, f.status());
                    return;
                }
            }
            boolean upgrade = head.toLowerCase(Locale.ROOT).contains("\r\nupgrade:");
            String forwarded = upgrade ? head : head.replaceAll("(?im)^connection:.*\r\n", "").replace("\r\n\r\n", "\r\nConnection: close\r\n\r\n");
            try (Socket api = upstream.createSocket(InetAddress.getLoopbackAddress(), apiServerPort)) {
                api.getOutputStream().write(forwarded.getBytes(StandardCharsets.ISO_8859_1));
                api.getOutputStream().flush();
                Thread up = Thread.ofVirtual().start(() -> pump(in, api));
                pump(api.getInputStream(), client);
                up.interrupt();
            }
        } catch (IOException e) {
            // either side went away: the connection ends, as it would
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void refuse(Socket client, int status) throws IOException {
        byte[] body = ("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + status
                + ",\"reason\":\"" + (status == 429 ? "TooManyRequests" : "InternalError") + "\",\"message\":\"injected by the fault suite\"}")
                .getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + (status == 429 ? " Too Many Requests" : " Internal Server Error") + "\r\n"
                + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n"
                + (status == 429 ? "Retry-After: 1\r\n" : "") + "Connection: close\r\n\r\n";
        OutputStream out = client.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    /** The request line and headers, up to and including the empty line; null when the client closed first. */
    private static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0) {
            head.append((char) c);
            if (head.length() >= 4 && head.substring(head.length() - 4).equals("\r\n\r\n")) {
                return head.toString();
            }
        }
        return null;
    }

    private static void pump(InputStream from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = from.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            pump(from.getInputStream(), to);
        } catch (IOException e) {
            // closed
        }
    }

    private static Certificate certificate(Path pem) throws Exception {
        try (InputStream in = Files.newInputStream(pem)) {
            return CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }

    private static PrivateKey key(Path pem) throws IOException {
        try (Reader reader = Files.newBufferedReader(pem); PEMParser parser = new PEMParser(reader)) {
            Object parsed = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            return parsed instanceof PEMKeyPair pair ? converter.getKeyPair(pair).getPrivate()
                    : converter.getPrivateKey((org.bouncycastle.asn1.pkcs.PrivateKeyInfo) parsed);
        }
    }

    private static SSLContext context(Certificate cert, PrivateKey key, Certificate trusted) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("key", key, new char[0], new Certificate[] {cert});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, new char[0]);
        TrustManagerFactory tmf = null;
        if (trusted != null) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", trusted);
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return context;
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
    }
}
