package io.currents.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on 127.0.0.1 in front of a server, for fault tests: clients pointed at it reach the server until
 * {@link #cut()}, which closes every open connection and stops listening, so that they see exactly what a stopped server
 * shows (connections reset, then refused); {@link #restore()} listens again on the same port. {@link #blackHole()}
 * instead drops every byte while connections, open and new, stay up, as a network partition shows. Bytes pass
 * through untouched, TLS included.
 */
public final class TcpProxy implements AutoCloseable {

    private final int port;
    private volatile InetSocketAddress target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger accepted = new AtomicInteger();
    private final AtomicInteger resets = new AtomicInteger();
    private volatile boolean resetting;
    private volatile boolean blackHoled;
    private volatile ServerSocket listener;

    private TcpProxy(int port, InetSocketAddress target) {
        this.port = port;
        this.target = target;
    }

    /** Starts relaying a free loopback port to {@code targetPort} on 127.0.0.1. */
    public static TcpProxy start(int targetPort) {
        TcpProxy proxy = new TcpProxy(LoopbackPorts.free(), new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort));
        proxy.restore();
        return proxy;
    }

    public int port() {
        return port;
    }

    /** Connections accepted since the start. */
    public int connections() {
        return accepted.get();
    }

    public boolean isCut() {
        return listener == null;
    }

    /** Sends new connections to another port (a server restarted elsewhere); open ones keep their server. */
    public void retarget(int targetPort) {
        target = new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort);
    }

    /** Closes the listener and every relayed connection: the server looks stopped. */
    public synchronized void cut() {
        ServerSocket current = listener;
        listener = null;
        closeQuietly(current);
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /**
     * Answers every new connection with a reset (a server that crashes as it accepts, or a firewall that rejects), and
     * closes the open ones; unlike {@link #cut()}, each attempt is counted ({@link #resets()}).
     */
    public synchronized void resetConnections() {
        resetting = true;
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        open.clear();
    }

    /**
     * A network partition: open connections stay open and new ones are accepted, but no byte passes either way, so
     * clients see requests that never answer (until their own timeouts) rather than errors. {@link #restore()} ends it
     * and closes the connections that lost bytes, as a client would have after so long a silence.
     */
    public synchronized void blackHole() {
        blackHoled = true;
    }

    public boolean isBlackHoled() {
        return blackHoled;
    }

    /** Connections reset since the start. */
    public int resets() {
        return resets.get();
    }

    /** Listens again on the same port, and relays again after {@link #resetConnections()} or {@link #blackHole()}. */
    public synchronized void restore() {
        resetting = false;
        if (blackHoled) {
            blackHoled = false;
            for (Socket socket : open) {
                closeQuietly(socket);
            }
            open.clear();
        }
        if (listener != null) {
            return;
        }
        // connections closed a moment ago may hold the port for a little while (Linux refuses the bind until they are gone)
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                ServerSocket server = new ServerSocket();
                server.setReuseAddress(true);
                try {
                    server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 128);
                } catch (IOException e) {
                    server.close();
                    throw e;
                }
                listener = server;
                Thread.ofVirtual().name("tcp-proxy-accept-" + port).start(() -> accept(server));
                return;
            } catch (java.net.BindException e) {
                if (System.nanoTime() > deadline) {
                    throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
            }
        }
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            accepted.incrementAndGet();
            if (resetting) {
                resets.incrementAndGet();
                try {
                    client.setSoLinger(true, 0);
                } catch (SocketException ignored) {
                    // closed anyway
                }
                closeQuietly(client);
                continue;
            }
            Thread.ofVirtual().start(() -> relay(client));
        }
    }

    private void relay(Socket client) {
        Socket upstream = new Socket();
        open.add(client);
        open.add(upstream);
        try {
            if (blackHoled) {
                // a connection made during a partition never reaches the server: its bytes go nowhere until it is closed
                pump(client, OutputStream.nullOutputStream());
                return;
            }
            upstream.connect(target, 5_000);
            if (listener == null) {
                throw new SocketException("cut while connecting");
            }
            Thread back = Thread.ofVirtual().start(() -> pump(upstream, client));
            pump(client, upstream);
            back.join();
        } catch (IOException e) {
            // the server refused or went away: the client sees its connection closed, as it would
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeQuietly(client);
            closeQuietly(upstream);
            open.remove(client);
            open.remove(upstream);
        }
    }

    private void pump(Socket from, Socket to) {
        try {
            pump(from, to.getOutputStream());
        } catch (IOException e) {
            // closed already
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    /** Copies until either side closes; bytes read while black-holed are dropped. */
    private void pump(Socket from, OutputStream out) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); out) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (!blackHoled) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (IOException e) {
            // one side closed: the finally of relay() closes both
        } finally {
            closeQuietly(from);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        cut();
    }
}
