package io.currents.runtime.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Refuses destinations inside the controller's own network neighbourhood, for the Currents flag
 * {@code no-internal-destinations} (Flux has no such flag): a tenant's Provider address or remote kustomize base must
 * not make the controller call the Kubernetes API server with its own credentials' network position, its loopback
 * interface (its own metrics, health and webhook ports, a node-local agent) or a link-local address (the cloud
 * instance metadata service at 169.254.169.254, fe80::/10).
 *
 * <p>A host is refused when any address it resolves to is loopback, link-local, the unspecified address, an IPv4
 * address written as IPv6 that is one of those, or one of the API server's addresses ({@code KUBERNETES_SERVICE_HOST}
 * and the host of the controller's own API server URL); {@code localhost} and names under {@code .localhost} are
 * refused by name. Private ranges (10/8, 172.16/12, 192.168/16) stay allowed: in-cluster webhooks and Git servers
 * live there.
 *
 * <p>DNS rebinding (a name that resolves to a public address when checked and to 127.0.0.1 a moment later, when the
 * connection is made) is closed by {@link GuardedResolver}, the JVM's resolver wrapped: a name this check has been
 * asked about is <em>guarded</em> from then on (for {@link #GUARD_TIME} after its last check), and every later
 * resolution of it in the process, on whatever thread makes it (the JDK HTTP client resolves on its own threads,
 * JGit on the caller's, a proxy's name when the client is built), fails with an {@link java.net.UnknownHostException}
 * when it yields an address this check refuses. An address the JDK still has in its lookup cache
 * ({@code networkaddress.cache.ttl}, 30 s by default) is not resolved again; it is the one this check read when it
 * resolved the name, so the address connected to is always one that was checked. A refused resolution is cached by
 * the JDK as a failed lookup ({@code networkaddress.cache.negative.ttl}, 10 s). Only the controller's own lookups of
 * a guarded name are affected, and only when that name really resolves to an internal address: names the
 * controllers use themselves (the API server's, refused here by name before it is guarded; source-controller's
 * service) are never guarded or resolve to allowed addresses.
 */
public final class InternalDestinations implements Function<String, String> {

    /** How long a name stays guarded after its last check: longer than any request made after a check lasts. */
    public static final Duration GUARD_TIME = Duration.ofHours(1);
    private static final int PURGE_ABOVE = 4096;
    private static final Map<String, Guard> GUARDED = new ConcurrentHashMap<>();

    private record Guard(InternalDestinations check, long since) {
    }

    private final Set<String> apiServerHosts;
    private final List<InetAddress> apiServerAddresses;

    private InternalDestinations(Set<String> apiServerHosts) {
        this.apiServerHosts = apiServerHosts.stream().filter(h -> h != null && !h.isBlank())
                .map(h -> strip(h).toLowerCase(Locale.ROOT)).collect(Collectors.toUnmodifiableSet());
        List<InetAddress> addresses = new ArrayList<>();
        for (String host : this.apiServerHosts) {
            try {
                addresses.addAll(List.of(InetAddress.getAllByName(host)));
            } catch (UnknownHostException e) {
                // a name the controller cannot resolve is still refused by name
            }
        }
        this.apiServerAddresses = List.copyOf(addresses);
    }

    /**
     * The check for a controller whose API server is {@code apiServerUrl} (may be null), in a pod where
     * {@code KUBERNETES_SERVICE_HOST} names the API server's service address.
     *
     * @throws IllegalStateException when the JVM does not resolve names through {@link GuardedResolver}
     */
    public static InternalDestinations forApiServer(String apiServerUrl) {
        if (!GuardedResolver.installed()) {
            // without it a name could be resolved again, differently, when connected (DNS rebinding)
            throw new IllegalStateException("no-internal-destinations needs the JVM to resolve names through "
                    + GuardedResolver.class.getName() + " (registered in META-INF/services), and it does not");
        }
        String urlHost = null;
        if (apiServerUrl != null) {
            try {
                urlHost = URI.create(apiServerUrl).getHost();
            } catch (IllegalArgumentException e) {
                urlHost = null;
            }
        }
        return new InternalDestinations(java.util.stream.Stream.of(urlHost, System.getenv("KUBERNETES_SERVICE_HOST"))
                .filter(h -> h != null).collect(Collectors.toSet()));
    }

    /** Why a request to {@code host} is refused, or null when it may be made. */
    @Override
    public String apply(String host) {
        if (host == null || host.isBlank()) {
            return "the destination has no host";
        }
        String name = normalise(host);
        if (apiServerHosts.contains(name)) {
            return "'" + host + "' is the Kubernetes API server";
        }
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            // the JDK answers localhost with the loopback address even when the resolver refuses it
            return "'" + host + "' is the loopback host name";
        }
        guard(name);
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
        } catch (GuardedResolver.Refused e) {
            return e.why();
        } catch (UnknownHostException e) {
            // nothing is reachable there; the request itself will report the unknown host
            return null;
        }
        for (InetAddress address : addresses) {
            String why = internal(address);
            if (why != null) {
                return "'" + host + "' resolves to " + address.getHostAddress() + ", " + why;
            }
        }
        return null;
    }

    /** Guards {@code name}: from now on (for {@link #GUARD_TIME}) every resolution of it in the process is checked. */
    private void guard(String name) {
        long now = System.nanoTime();
        if (GUARDED.size() > PURGE_ABOVE) {
            GUARDED.values().removeIf(g -> now - g.since() > GUARD_TIME.toNanos());
        }
        GUARDED.put(name, new Guard(this, now));
    }

    /**
     * Why {@code address}, an answer for {@code host}, must not be used, or null: {@code host} is not guarded (the
     * controller's own lookups) or the address is allowed. Called by {@link GuardedResolver} for every resolution.
     */
    static String refusal(String host, InetAddress address) {
        Guard guard = GUARDED.get(normalise(host));
        if (guard == null || System.nanoTime() - guard.since() > GUARD_TIME.toNanos()) {
            return null;
        }
        String why = guard.check().internal(address);
        return why == null ? null : "'" + host + "' resolves to " + address.getHostAddress() + ", " + why;
    }

    private static String normalise(String host) {
        String name = strip(host).toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    private String internal(InetAddress address) {
        // Java reads an IPv4 address written as IPv6 (::ffff:127.0.0.1) as the IPv4 address it is
        InetAddress a = address;
        if (a.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (a.isLinkLocalAddress()) {
            return "a link-local address";
        }
        if (a.isAnyLocalAddress()) {
            return "the unspecified address";
        }
        if (apiServerAddresses.contains(a)) {
            return "an address of the Kubernetes API server";
        }
        return null;
    }

    private static String strip(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
