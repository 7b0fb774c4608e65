package io.currents.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/** Free TCP ports on the loopback interface for servers and processes started by tests and {@code currents dev up}. */
public final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /**
     * A free port chosen at random below the kernel's ephemeral range (32768+): a port picked there can be taken
     * by any outgoing connection before the process that was given it binds it, which made busy test runs fail
     * with "Address already in use".
     */
    public static int free() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = random.nextInt(10_000, 32_000);
            if (available(port)) {
                return port;
            }
        }
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A free port whose successor is free too (a process that binds two adjacent ports). */
    public static int freeWithNext() {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port = free();
            if (available(port + 1)) {
                return port;
            }
        }
        throw new IllegalStateException("no two adjacent free ports on " + InetAddress.getLoopbackAddress().getHostAddress());
    }

    private static boolean available(int port) {
        try (ServerSocket socket = new ServerSocket(port, 0, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
