package io.currents.runtime;

import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Leader election on a Lease named after the controller, so that only one replica reconciles; on by
 * default in the prod profile as with Flux's {@code --enable-leader-election}.
 */
@ApplicationScoped
public class LeaderElection {

    @ConfigProperty(name = "currents.controller-name", defaultValue = "currents-controller")
    String controllerName;

    @ConfigProperty(name = "currents.leader-election.namespace", defaultValue = "currents-system")
    String leaseNamespace;

    @Produces
    @ApplicationScoped
    LeaderElectionConfiguration leaderElectionConfiguration() {
        String namespace = System.getenv().getOrDefault("RUNTIME_NAMESPACE", leaseNamespace);
        return new LeaderElectionConfiguration(controllerName + "-leader-election", namespace);
    }
}
