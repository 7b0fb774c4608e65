package io.currents.runtime.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class InternalDestinationsTest {

    private final InternalDestinations check = InternalDestinations.forApiServer("https://10.96.0.1:443");

    @Test
    void loopbackLinkLocalAndUnspecifiedAddressesAreRefusedInEveryWriting() {
        assertThat(check.apply("127.0.0.1")).contains("loopback");
        assertThat(check.apply("127.3.4.5")).contains("loopback");
        assertThat(check.apply("localhost")).contains("loopback");
        assertThat(check.apply("[::1]")).contains("loopback");
        assertThat(check.apply("::ffff:127.0.0.1")).contains("loopback");
        assertThat(check.apply("169.254.169.254")).contains("link-local");
        assertThat(check.apply("[fe80::1]")).contains("link-local");
        assertThat(check.apply("::ffff:169.254.169.254")).contains("link-local");
        assertThat(check.apply("0.0.0.0")).contains("unspecified");
    }

    @Test
    void theApiServerIsRefusedByNameAndByAddress() {
        assertThat(check.apply("10.96.0.1")).contains("Kubernetes API server");
        InternalDestinations byName = InternalDestinations.forApiServer("https://kubernetes.example.invalid:6443");
        assertThat(byName.apply("KUBERNETES.example.invalid")).contains("Kubernetes API server");
    }

    @Test
    void privateAndPublicAddressesStayAllowed() {
        assertThat(check.apply("10.0.12.7")).isNull();
        assertThat(check.apply("192.168.1.20")).isNull();
        assertThat(check.apply("172.16.0.9")).isNull();
        assertThat(check.apply("93.184.216.34")).isNull();
        assertThat(check.apply("unresolvable.example.invalid")).as("an unknown host is left to fail on its own").isNull();
        assertThat(check.apply("")).isNotNull();
    }
}
