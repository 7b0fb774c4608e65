package io.currents.notification.controller;

import io.currents.runtime.net.GuardedResolver;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Resolves the service hosts whose names a provider type depends on ({@code *.webhook.office.com}: Teams' legacy
 * connector) to 127.0.0.1 in the test JVM, so that the same code path a cluster takes runs against a loopback server;
 * every other name is resolved as usual. Wrapped by {@link GuardedResolver}, as the JVM's resolver is in a controller,
 * since the JDK loads only this provider in the test JVM.
 */
public final class LoopbackHosts extends InetAddressResolverProvider {

    static final String TEAMS_CONNECTOR_HOST = "currents.webhook.office.com";

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return GuardedResolver.guarding(new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                if (host.toLowerCase(Locale.ROOT).endsWith(".webhook.office.com")) {
                    return Stream.of(InetAddress.getByAddress(host, new byte[]{127, 0, 0, 1}));
                }
                return builtin.lookupByName(host, policy);
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return builtin.lookupByAddress(addr);
            }
        });
    }

    @Override
    public String name() {
        return "currents-test-loopback-hosts";
    }
}
