package io.currents.runtime.operator;

import io.currents.runtime.reconcile.FluxDuration;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election on a Lease named after the controller, so that only one replica reconciles; on by
 * default in the prod profile as with Flux's {@code --enable-leader-election}. A controller with a
 * {@code watch-label-selector} (a shard) has a Lease of its own ({@link WatchLabelSelector#leaseName}).
 *
 * <p>Timings are Flux's flags with Flux's defaults (lease 35s, renew deadline 30s, retry period 5s), not the operator
 * SDK's shorter ones (15s/10s/2s): a leader that cannot renew its lease keeps trying for the renew deadline before it
 * gives up and exits, so the defaults tolerate the same API server outages as Flux's controllers.
 *
 * <p>A replica that loses the lease exits (Kubernetes restarts it as a follower), as Flux's controllers do. The operator
 * SDK would call {@code System.exit} itself from its stop-leading callback, but that callback also runs while the
 * application shuts down (releasing the lease is part of stopping), inside the JVM's shutdown hook: {@code System.exit}
 * there blocks forever and SIGTERM never ends the process. So the exit is requested from a thread of its own, which
 * during a shutdown just waits, harmlessly, for the JVM to finish exiting.
 */
@ApplicationScoped
public class LeaderElection {

    @ConfigProperty(name = "currents.controller-name", defaultValue = "currents-controller")
    String controllerName;

    @ConfigProperty(name = "currents.leader-election.namespace", defaultValue = "currents-system")
    String leaseNamespace;

    @Inject
    WatchLabelSelector watchLabelSelector;

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
        LeaderCallbacks callbacks = new LeaderCallbacks(() -> { }, LeaderElection::exitAfterLosingTheLease, identity -> { });
        return new LeaderElectionConfiguration(watchLabelSelector.leaseName(controllerName), namespace,
                FluxDuration.parse(leaseDuration), FluxDuration.parse(renewDeadline), FluxDuration.parse(retryPeriod),
                identity(), callbacks, false);
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

    private static void exitAfterLosingTheLease() {
        Thread exit = new Thread(() -> System.exit(1), "leader-election-exit");
        exit.setDaemon(true);
        exit.start();
    }
}
