package io.currents.testkit.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forwarding HTTP proxy on 127.0.0.1 for proxy tests: absolute-URI requests ({@code GET
 * http://host/path}) are relayed to the origin, {@code CONNECT host:port} opens a tunnel (HTTPS,
 * SSH); optionally requires basic {@code Proxy-Authorization}. Records what it relayed.
 */
public final class HttpProxyServer implements AutoCloseable {

    private final ServerSocket server;
    private final String expectedAuthorization;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private volatile long connectDelayMillis;

    private HttpProxyServer(String username, String password) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.expectedAuthorization = username == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        Thread.ofVirtual().name("http-proxy-accept").start(this::acceptLoop);
    }

    /** A proxy without authentication. */
    public static HttpProxyServer start() {
        return start(null, null);
    }

    /** A proxy requiring these basic credentials (null username: none). */
    public static HttpProxyServer start(String username, String password) {
        try {
            return new HttpProxyServer(username, password);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Waits this long after answering a CONNECT before relaying the origin's first bytes, so they
     * never share a packet with the {@code 200} response. JGit 7.5's SSH proxy connector loses
     * bytes that arrive together with the response (an SSH server's banner does, on loopback).
     */
    public HttpProxyServer delayAfterConnect(java.time.Duration delay) {
        this.connectDelayMillis = delay.toMillis();
        return this;
    }

    /** {@code http://127.0.0.1:<port>}. */
    public String address() {
        return "http://127.0.0.1:" + server.getLocalPort();
    }

    /** Request lines relayed so far, e.g. {@code GET http://127.0.0.1:1234/app.git/info/refs?...} or {@code CONNECT 127.0.0.1:22}. */
    public List<String> requests() {
        return List.copyOf(requests);
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : open) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                open.add(client);
                Thread.ofVirtual().start(() -> serve(client));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            OutputStream out = client.getOutputStream();
            String requestLine = readLine(in);
            if (requestLine == null || requestLine.isEmpty()) {
                return;
            }
            List<String> headers = new ArrayList<>();
            String authorization = null;
            String line;
            while ((line = readLine(in)) != null && !line.isEmpty()) {
                String lower = line.toLowerCase();
                if (lower.startsWith("proxy-authorization:")) {
                    authorization = line.substring(line.indexOf(':') + 1).trim();
                } else if (!lower.startsWith("proxy-connection:") && !lower.startsWith("connection:")) {
                    headers.add(line);
                }
            }
            if (expectedAuthorization != null && !expectedAuthorization.equals(authorization)) {
                out.write(("HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"proxy\"\r\n"
                        + "Content-Length: 0\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                return;
            }
            requests.add(requestLine);
            String[] parts = requestLine.split(" ");
            if (parts[0].equals("CONNECT")) {
                String[] hostPort = parts[1].split(":");
                try (Socket upstream = new Socket(hostPort[0], Integer.parseInt(hostPort[1]))) {
                    open.add(upstream);
                    out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                    if (connectDelayMillis > 0) {
                        Thread.sleep(connectDelayMillis);
                    }
                    pipe(client, upstream);
                }
                return;
            }
            URI target = URI.create(parts[1]);
            int port = target.getPort() > 0 ? target.getPort() : 80;
            try (Socket upstream = new Socket(target.getHost(), port)) {
                open.add(upstream);
                OutputStream up = upstream.getOutputStream();
                String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
                StringBuilder head = new StringBuilder(parts[0] + " " + path + " " + parts[2] + "\r\n");
                headers.forEach(h -> head.append(h).append("\r\n"));
                // one request per connection keeps the relay a plain byte pipe
                head.append("Connection: close\r\n\r\n");
                up.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
                up.flush();
                Thread body = Thread.ofVirtual().start(() -> {
                    try {
                        in.transferTo(up);
                        upstream.shutdownOutput();
                    } catch (IOException ignored) {
                        // either side closed
                    }
                });
                // tell the client too that this connection ends with the response, or it would
                // send its next request into a socket the relay is about to close
                InputStream down = upstream.getInputStream();
                StringBuilder responseHead = new StringBuilder(readLine(down)).append("\r\n");
                while ((line = readLine(down)) != null && !line.isEmpty()) {
                    String lower = line.toLowerCase();
                    if (!lower.startsWith("connection:") && !lower.startsWith("keep-alive:")) {
                        responseHead.append(line).append("\r\n");
                    }
                }
                responseHead.append("Connection: close\r\nProxy-Connection: close\r\n\r\n");
                out.write(responseHead.toString().getBytes(StandardCharsets.ISO_8859_1));
                down.transferTo(out);
                out.flush();
                client.shutdownOutput();
                try {
                    body.join(5000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        } catch (IOException ignored) {
            // a client or origin going away ends the exchange
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            open.remove(client);
        }
    }

    /** Copies both directions until the origin closes (then the client is closed too). */
    private static void pipe(Socket client, Socket upstream) throws IOException {
        Thread toUpstream = Thread.ofVirtual().start(() -> {
            try {
                client.getInputStream().transferTo(upstream.getOutputStream());
                upstream.shutdownOutput();
            } catch (IOException ignored) {
                // either side closed
            }
        });
        try {
            upstream.getInputStream().transferTo(client.getOutputStream());
            client.shutdownOutput();
        } catch (IOException ignored) {
            // either side closed
        }
        try {
            toUpstream.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b == -1 && line.size() == 0) {
            return null;
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }
}
