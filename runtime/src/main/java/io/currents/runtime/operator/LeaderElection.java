package io.currents.runtime.operator;

import io.currents.runtime.reconcile.FluxDuration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;

/**
 * Leader election on a Lease named after the controller, so that only one replica reconciles; on by
 * default in the prod profile as with Flux's {@code --enable-leader-election}. A controller with a
 * {@code watch-label-selector} (a shard) has a Lease of its own ({@link WatchLabelSelector#leaseName}).
 *
 * <p>Timings are Flux's flags with Flux's defaults (lease 35s, renew deadline 30s, retry period 5s), not the operator
 * SDK's shorter ones (15s/10s/2s): a leader that cannot renew its lease keeps trying for the renew deadline before it
 * gives up and exits, so the defaults tolerate the same API server outages as Flux's controllers.
 *
 * <p>A replica that loses the lease exits (Kubernetes restarts it as a follower), as Flux's controllers do, within
 * {@link #SHUTDOWN_GRACE_MILLIS}. The operator SDK would call {@code System.exit} itself from its stop-leading callback,
 * but that callback also runs while the application shuts down (releasing the lease is part of stopping), inside the
 * JVM's shutdown hook: {@code System.exit} there blocks forever and SIGTERM never ends the process. So the callback
 * does nothing during a shutdown, and otherwise requests the exit from a thread of its own.
 *
 * <p>The renew deadline is kept by {@link RenewDeadline} too: fabric8's elector only checks it between two renewal
 * attempts, so a partitioned leader whose renewal hangs would lead past it, even past the lease's expiry.
 */
@ApplicationScoped
public class LeaderElection {

    @ConfigProperty(name = "currents.controller-name", defaultValue = "currents-controller")
    String controllerName;

    @ConfigProperty(name = "currents.leader-election.namespace", defaultValue = "currents-system")
    String leaseNamespace;

    @Inject
    WatchLabelSelector watchLabelSelector;

    @Inject
    Provider<KubernetesClient> client;

    @ConfigProperty(name = "leader-election-lease-duration", defaultValue = "35s")
    String leaseDuration;

    @ConfigProperty(name = "leader-election-renew-deadline", defaultValue = "30s")
    String renewDeadline;

    @ConfigProperty(name = "leader-election-retry-period", defaultValue = "5s")
    String retryPeriod;

    @Produces
    @ApplicationScoped
    LeaderElectionConfiguration leaderElectionConfiguration() {
        String namespace = System.getenv().getOrDefault("RUNTIME_NAMESPACE", leaseNamespace);
        String lease = watchLabelSelector.leaseName(controllerName);
        String identity = identity();
        Duration renew = FluxDuration.parse(renewDeadline);
        Duration retry = FluxDuration.parse(retryPeriod);
        RenewDeadline deadline = new RenewDeadline(() -> client.get().leases().inNamespace(namespace).withName(lease).get(),
                identity, renew, retry, LeaderElection::exitAfterLosingTheLease);
        LeaderCallbacks callbacks = new LeaderCallbacks(deadline::start, LeaderElection::exitAfterLosingTheLease, id -> { });
        return new LeaderElectionConfiguration(lease, namespace, FluxDuration.parse(leaseDuration), renew, retry, identity, callbacks, false);
    }

    /**
     * The host name and the working directory (hashed): replicas that share a host name (processes on one machine)
     * must not both believe they hold the lease, which the operator SDK's default, the host name alone, lets happen.
     * It stays the same when a process is started again in its place, so a controller restarted by {@code dev up} or
     * the tests takes its lease back at once. JOSDK does not release the lease on a graceful stop, as Flux's
     * controllers do, and a new identity would wait out the lease duration. In a pod the host name is the pod's name.
     */
    static String identity() {
        return identity(System.getenv().getOrDefault("HOSTNAME", ""), System.getProperty("user.dir", ""));
    }

    static String identity(String host, String workingDirectory) {
        try {
            byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
                    .digest(workingDirectory.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return (host.isBlank() ? "currents" : host) + "_" + java.util.HexFormat.of().formatHex(digest, 0, 4);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * How long a replica that lost its lease lets its shutdown run before it halts. controller-runtime (Flux) leaves
     * its runnables no time at all once the lease is lost; a graceful Quarkus shutdown can take seconds, more when
     * the API server is unreachable (stopping the elector reads the Lease again), and its reconciles keep writing
     * meanwhile, past the lease's expiry, when the standby may already lead.
     */
    static final long SHUTDOWN_GRACE_MILLIS = 1_000;

    static void exitAfterLosingTheLease() {
        if (shuttingDown()) {
            // the application is stopping and releases its lease: the JVM is exiting already
            return;
        }
        Thread exit = new Thread(() -> System.exit(1), "leader-election-exit");
        exit.setDaemon(true);
        Thread halt = new Thread(() -> {
            try {
                Thread.sleep(SHUTDOWN_GRACE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(1);
        }, "leader-election-halt");
        halt.setDaemon(true);
        halt.start();
        exit.start();
    }

    /** Whether the JVM is running its shutdown hooks (it accepts no new ones then). */
    static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
