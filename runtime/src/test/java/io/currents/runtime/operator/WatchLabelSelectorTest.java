package io.currents.runtime.operator;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WatchLabelSelectorTest {

    @Test
    void eachSelectorHasALeaseOfItsOwnAndNoSelectorKeepsTheUsualOne() {
        assertThat(new WatchLabelSelector(null).leaseName("kustomize-controller")).isEqualTo("kustomize-controller-leader-election");
        assertThat(new WatchLabelSelector(" ").leaseName("kustomize-controller")).isEqualTo("kustomize-controller-leader-election");
        String shard1 = new WatchLabelSelector("sharding.fluxcd.io/key in (shard1)").leaseName("kustomize-controller");
        String shard2 = new WatchLabelSelector("sharding.fluxcd.io/key in (shard2)").leaseName("kustomize-controller");
        String main = new WatchLabelSelector("!sharding.fluxcd.io/key").leaseName("kustomize-controller");
        assertThat(shard1).startsWith("kustomize-controller-leader-election-").matches("[a-z0-9-]+");
        assertThat(shard1).isNotEqualTo(shard2).isNotEqualTo(main);
    }
}
