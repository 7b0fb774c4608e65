package io.currents.ui;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import static io.currents.ui.UiTestSupport.*;
import static org.assertj.core.api.Assertions.assertThat;

/** A Flux kind whose CustomResourceDefinition is installed after the UI started shows on the overview, and leaves it when removed. */
@QuarkusTest
class CrdWatchTest extends UiPageTest {

    @Test
    void aKindInstalledAfterStartShowsOnTheOverviewAndGoesWithItsDefinition() {
        String suffix = Long.toString(ThreadLocalRandom.current().nextLong(1L << 40, 1L << 41), 36).replaceAll("[0-9]", "x");
        String kind = "Probe" + suffix;
        String plural = kind.toLowerCase(Locale.ROOT) + "s";
        String group = "uitest.toolkit.fluxcd.io";
        assertThat(store.kind(kind)).isEmpty();
        CustomResourceDefinition crd = Serialization.unmarshal("""
                apiVersion: apiextensions.k8s.io/v1
                kind: CustomResourceDefinition
                metadata: {name: %s.%s}
                spec:
                  group: %s
                  scope: Namespaced
                  names: {kind: %s, plural: %s, singular: %s, listKind: %sList}
                  versions:
                  - name: v1
                    served: true
                    storage: true
                    schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
                    subresources: {status: {}}
                """.formatted(plural, group, group, kind, plural, kind.toLowerCase(Locale.ROOT), kind), CustomResourceDefinition.class);
        kube().apiextensions().v1().customResourceDefinitions().resource(crd).create();
        try {
            kube().apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName())
                    .waitUntilCondition(c -> c != null && c.getStatus() != null && c.getStatus().getConditions() != null && c.getStatus().getConditions().stream()
                            .anyMatch(x -> "Established".equals(x.getType()) && "True".equals(x.getStatus())), 30, TimeUnit.SECONDS);
            String ns = namespace("ui-crd");
            create(context(group, "v1", kind, plural), """
                    apiVersion: %s/v1
                    kind: %s
                    metadata: {name: late, namespace: %s}
                    spec: {interval: 1m}
                    """.formatted(group, kind, ns), readyStatus("False", "ProbeFailed", "the probe found nothing"));
            String row = "id=\"row-" + kind.toLowerCase(Locale.ROOT) + "-" + ns + "-late\"";
            await(() -> get(base, "/?namespace=" + ns, TOKEN).body().contains(row), "the new kind's object on the overview");
            String page = get(base, "/?namespace=" + ns, TOKEN).body();
            assertThat(page).contains("the probe found nothing", "data-status=\"failed\" data-count=\"1\"");
            assertThat(get(base, "/?kind=" + kind, TOKEN).body()).contains(row);

            kube().apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).delete();
            await(() -> store.kind(kind).isEmpty() && !get(base, "/?namespace=" + ns, TOKEN).body().contains(row),
                    "the removed kind to leave the overview");
        } finally {
            kube().apiextensions().v1().customResourceDefinitions().withName(crd.getMetadata().getName()).delete();
        }
    }
}
