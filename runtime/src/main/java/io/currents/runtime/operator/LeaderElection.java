package io.currents.runtime.operator;

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

    @Produces
    @ApplicationScoped
    LeaderElectionConfiguration leaderElectionConfiguration() {
        String namespace = System.getenv().getOrDefault("RUNTIME_NAMESPACE", leaseNamespace);
        LeaderCallbacks callbacks = new LeaderCallbacks(() -> { }, LeaderElection::exitAfterLosingTheLease, identity -> { });
        return new LeaderElectionConfiguration(watchLabelSelector.leaseName(controllerName), namespace,
                LeaderElectionConfiguration.LEASE_DURATION_DEFAULT_VALUE, LeaderElectionConfiguration.RENEW_DEADLINE_DEFAULT_VALUE,
                LeaderElectionConfiguration.RETRY_PERIOD_DEFAULT_VALUE, null, callbacks, false);
    }

    private static void exitAfterLosingTheLease() {
        Thread exit = new Thread(() -> System.exit(1), "leader-election-exit");
        exit.setDaemon(true);
        exit.start();
    }
}
