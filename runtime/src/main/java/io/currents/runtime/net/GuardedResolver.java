package io.currents.runtime.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.List;
import java.util.stream.Stream;

/**
 * The JVM's resolver (JEP 418), wrapped so that a name {@link InternalDestinations} guards never resolves to an address
 * it refuses, whichever thread or library asks: the address a tenant's destination is connected to is then one the
 * {@code no-internal-destinations} check has passed, even when the name's DNS answer changes between the check and
 * the connection (DNS rebinding). Names that were never checked resolve exactly as with the built-in resolver.
 *
 * <p>Registered in {@code META-INF/services/java.net.spi.InetAddressResolverProvider}; the JDK loads it once, on the
 * first name lookup, through the context class loader of the thread making it.
 */
public final class GuardedResolver extends InetAddressResolverProvider {

    private static volatile boolean installed;

    /** Whether the JVM resolves names through this resolver (loading it if no lookup was made yet). */
    static boolean installed() {
        if (!installed) {
            try {
                InetAddress.getAllByName("localhost");
            } catch (UnknownHostException e) {
                // the lookup only had to load the resolver
            }
        }
        return installed;
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        return guarding(configuration.builtinResolver());
    }

    /**
     * {@code resolver} (the JVM's built-in one), refusing the answers {@link InternalDestinations} refuses for guarded
     * names. The JDK uses only the first provider it finds: a JVM that installs a resolver provider of its own (a test
     * mapping names to loopback) wraps its resolver with this, or the {@code no-internal-destinations} flag refuses to
     * start.
     */
    public static InetAddressResolver guarding(InetAddressResolver resolver) {
        installed = true;
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                List<InetAddress> addresses = resolver.lookupByName(host, policy).toList();
                for (InetAddress address : addresses) {
                    String why = InternalDestinations.refusal(host, address);
                    if (why != null) {
                        throw new Refused(why);
                    }
                }
                return addresses.stream();
            }

            @Override
            public String lookupByAddress(byte[] addr) throws UnknownHostException {
                return resolver.lookupByAddress(addr);
            }
        };
    }

    @Override
    public String name() {
        return "currents-internal-destinations";
    }

    /** A resolution refused because the answer is an internal address; the message says which and why. */
    static final class Refused extends UnknownHostException {
        private final String why;

        Refused(String why) {
            super(why + " (no-internal-destinations=true)");
            this.why = why;
        }

        String why() {
            return why;
        }
    }
}
