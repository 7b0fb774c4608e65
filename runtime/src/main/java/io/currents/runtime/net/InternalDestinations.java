package io.currents.runtime.net;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
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
 * and the host of the controller's own API server URL). Private ranges (10/8, 172.16/12, 192.168/16) stay allowed:
 * in-cluster webhooks and Git servers live there. The check resolves the name when the request is made; a name that
 * resolves differently a moment later (DNS rebinding) is not caught, which the documentation says.
 */
public final class InternalDestinations implements Function<String, String> {

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
     */
    public static InternalDestinations forApiServer(String apiServerUrl) {
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
        String name = strip(host).toLowerCase(Locale.ROOT);
        if (apiServerHosts.contains(name)) {
            return "'" + host + "' is the Kubernetes API server";
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(name);
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
