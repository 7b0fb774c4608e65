package io.currents.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.currents.cli.dev.ControllerProcess.Controller;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.nio.file.Files;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite's controllers run as their own ServiceAccounts with the RBAC shipped in {@code manifests/bases}
 * ({@link FaultCluster}): the API server's audit log shows every controller's requests made as its ServiceAccount, and
 * none of them was forbidden. Run last, it reads the requests of every scenario that ran in the JVM before it.
 */
@Tag("faults")
@Tag("ci")
@Order(9)
class ShippedRbacTest {

    @Test
    void everyControllerActsAsItsOwnServiceAccountAndNothingItDoesIsForbidden() throws Exception {
        FaultCluster cluster = FaultCluster.shared();
        ObjectMapper json = new ObjectMapper();
        Map<String, Integer> requests = new TreeMap<>();
        List<String> forbidden = new ArrayList<>();
        int duringStart = 0;
        try (BufferedReader lines = Files.newBufferedReader(cluster.apiServer().auditLog())) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                JsonNode event = json.readTree(line);
                String as = event.path("impersonatedUser").path("username").asText("");
                if (!as.startsWith("system:serviceaccount:" + FaultCluster.NAMESPACE + ":")) {
                    continue;
                }
                requests.merge(as, 1, Integer::sum);
                if (event.path("responseStatus").path("code").asInt() == 403
                        && cluster.apiServer().starting(Instant.parse(event.path("requestReceivedTimestamp").asText()))) {
                    duringStart++;
                } else if (event.path("responseStatus").path("code").asInt() == 403) {
                    forbidden.add(as + " " + event.path("verb").asText() + " " + event.path("objectRef").path("resource").asText()
                            + (event.path("objectRef").has("subresource") ? "/" + event.path("objectRef").path("subresource").asText() : "")
                            + " in " + event.path("objectRef").path("namespace").asText("(cluster)"));
                }
            }
        }
        System.out.printf("[faults] shipped RBAC: requests per ServiceAccount %s; %d forbidden; %d more while kube-apiserver was "
                + "starting (its authorizer's caches not yet synced, not counted)%n", requests, forbidden.size(), duringStart);
        for (Controller c : List.of(Controller.SOURCE, Controller.KUSTOMIZE, Controller.HELM, Controller.NOTIFICATION)) {
            assertThat(requests).as("requests made as " + c.controllerName() + "'s ServiceAccount")
                    .containsKey("system:serviceaccount:" + FaultCluster.NAMESPACE + ":" + c.controllerName());
        }
        assertThat(forbidden).as("requests the shipped RBAC forbade").isEmpty();
    }
}
