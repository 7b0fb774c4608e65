package io.currents.runtime.net;

import org.eclipse.jgit.api.Git;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DNS rebinding against {@code no-internal-destinations}, without a DNS server: a child JVM resolves names from a hosts
 * file, read again on every lookup, with the JDK's lookup cache off ({@code networkaddress.cache.ttl=0}). The JDK's
 * own {@code jdk.net.hosts.file} cannot be used: with it set the JDK loads no resolver provider, so the child puts
 * {@link HostsFile} (a provider reading the file the same way, wrapped by {@link GuardedResolver} as the built-in
 * resolver is in production) first on its class path. The check passes a name while the file maps it to a public address; the file is then rewritten to map it
 * to 127.0.0.1, where this test listens and counts every TCP connection. The JDK HTTP client (which resolves on its
 * own threads), {@link HttpURLConnection} and JGit's smart HTTP (which resolve on the caller's) must all fail to
 * resolve it and connect nowhere, while a name that was never checked (a controller's own endpoint: the API server, an
 * artifact URL) still reaches the same loopback server.
 */
class DnsRebindingTest {

    private ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private Thread acceptor;

    @BeforeEach
    void listen() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = Thread.ofPlatform().daemon().start(() -> {
            while (!server.isClosed()) {
                try (Socket socket = server.accept()) {
                    connections.incrementAndGet();
                    socket.getInputStream().read(new byte[4096]);
                    OutputStream out = socket.getOutputStream();
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // closed
                }
            }
        });
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    @Test
    void aCheckedNameThatRebindsToLoopbackIsNeverConnectedTo(@TempDir Path dir) throws Exception {
        Path hosts = dir.resolve("hosts");
        Files.writeString(hosts, "203.0.113.7 rebind.test\n127.0.0.1 own.test\n");
        Path services = dir.resolve("provider/META-INF/services/" + InetAddressResolverProvider.class.getName());
        Files.createDirectories(services.getParent());
        Files.writeString(services, HostsFile.class.getName() + "\n");
        Path security = dir.resolve("java.security");
        Files.writeString(security, "networkaddress.cache.ttl=0\nnetworkaddress.cache.negative.ttl=0\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-D" + HostsFile.PROPERTY + "=" + hosts,
                "-Djava.security.properties=" + security,
                "-cp", dir.resolve("provider") + File.pathSeparator + System.getProperty("java.class.path"),
                Probe.class.getName(), hosts.toString(), Integer.toString(server.getLocalPort()))
                .redirectErrorStream(true).start();
        assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the probe ends").isTrue();
        List<String> lines = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();

        lines.forEach(l -> System.out.println("probe: " + l));
        assertThat(lines).as("output of the probe").contains(
                "check at first: allowed",
                "own name: 200",
                "own name, HttpURLConnection: 200",
                "check after rebinding: refused, 'rebind.test' resolves to 127.0.0.1, a loopback address");
        assertThat(lines).filteredOn(l -> l.startsWith("HttpClient:")).singleElement().asString()
                .doesNotContain("200").contains("ConnectException");
        assertThat(lines).filteredOn(l -> l.startsWith("HttpURLConnection:")).singleElement().asString()
                .contains("UnknownHostException: rebind.test");
        assertThat(lines).filteredOn(l -> l.startsWith("JGit:")).singleElement().asString()
                .contains("UnknownHostException: rebind.test");
        assertThat(child.exitValue()).as(String.join("\n", lines)).isZero();
        assertThat(connections.get()).as("only the two requests to the never-checked name connected").isEqualTo(2);
    }

    /** The JVM's resolver for the child: names from the hosts file first, wrapped as in production. */
    public static final class HostsFile extends InetAddressResolverProvider {
        static final String PROPERTY = "dns-rebinding-test.hosts";

        @Override
        public InetAddressResolver get(Configuration configuration) {
            InetAddressResolver builtin = configuration.builtinResolver();
            Path file = Path.of(System.getProperty(PROPERTY));
            return GuardedResolver.guarding(new InetAddressResolver() {
                @Override
                public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                    List<InetAddress> found = new ArrayList<>();
                    try {
                        for (String line : Files.readAllLines(file)) {
                            String[] fields = line.trim().split("\\s+");
                            if (fields.length == 2 && fields[1].equalsIgnoreCase(host)) {
                                String[] octets = fields[0].split("\\.");
                                byte[] ip = new byte[4];
                                for (int i = 0; i < 4; i++) {
                                    ip[i] = (byte) Integer.parseInt(octets[i]);
                                }
                                found.add(InetAddress.getByAddress(host, ip));
                            }
                        }
                    } catch (IOException e) {
                        throw new UnknownHostException(host + ": " + e.getMessage());
                    }
                    return found.isEmpty() ? builtin.lookupByName(host, policy) : found.stream();
                }

                @Override
                public String lookupByAddress(byte[] addr) throws UnknownHostException {
                    return builtin.lookupByAddress(addr);
                }
            });
        }

        @Override
        public String name() {
            return "dns-rebinding-test-hosts-file";
        }
    }

    /** The child JVM: checks, rewrites the hosts file, then connects in each way and prints what happened. */
    public static final class Probe {
        public static void main(String[] args) throws Exception {
            Path hosts = Path.of(args[0]);
            int port = Integer.parseInt(args[1]);
            InternalDestinations check = InternalDestinations.forApiServer(null);
            String first = check.apply("rebind.test");
            System.out.println("check at first: " + (first == null ? "allowed" : "refused, " + first));

            Path rewritten = hosts.resolveSibling("hosts.new");
            Files.writeString(rewritten, "127.0.0.1 rebind.test\n127.0.0.1 own.test\n");
            Files.move(rewritten, hosts, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            System.out.println("HttpClient: " + outcome(() -> http.send(HttpRequest.newBuilder(
                    URI.create("http://rebind.test:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()));
            System.out.println("HttpURLConnection: " + outcome(() -> get("http://rebind.test:" + port + "/")));
            System.out.println("JGit: " + outcome(() -> Git.lsRemoteRepository()
                    .setRemote("http://rebind.test:" + port + "/repo.git").call().size()));
            System.out.println("own name: " + outcome(() -> http.send(HttpRequest.newBuilder(
                    URI.create("http://own.test:" + port + "/")).build(), HttpResponse.BodyHandlers.ofString()).statusCode()));
            System.out.println("own name, HttpURLConnection: " + outcome(() -> get("http://own.test:" + port + "/")));
            String after = check.apply("rebind.test");
            System.out.println("check after rebinding: " + (after == null ? "allowed" : "refused, " + after));
        }

        private static int get(String url) throws IOException {
            HttpURLConnection connection = (HttpURLConnection) URI.create(url).toURL().openConnection();
            connection.setConnectTimeout(5000);
            try {
                return connection.getResponseCode();
            } finally {
                connection.disconnect();
            }
        }

        private interface Call {
            Object call() throws Exception;
        }

        private static String outcome(Call call) {
            try {
                return String.valueOf(call.call());
            } catch (Exception e) {
                StringBuilder chain = new StringBuilder();
                for (Throwable t = e; t != null; t = t.getCause()) {
                    chain.append(t.getClass().getSimpleName()).append(": ").append(t.getMessage()).append(" <- ");
                }
                return chain.toString();
            }
        }
    }
}
