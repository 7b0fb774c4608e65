package io.currents.cli.install;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The containers of a controller's pods that the kubelet cannot start because it cannot pull their image: the
 * waiting reasons it reports for a missing tag, an unreachable or unauthorised registry, or a malformed name. Retrying
 * does not help until someone pushes the image or changes {@code --registry}, so {@code install} stops waiting and
 * {@code check} says so.
 */
final class ImagePulls {

    /** The kubelet's waiting reasons for an image it cannot get. */
    static final Set<String> REASONS = Set.of("ErrImagePull", "ImagePullBackOff", "InvalidImageName", "ErrImageNeverPull",
            "RegistryUnavailable", "SignatureValidationFailed");

    /** One container waiting for an image that cannot be pulled. */
    record Failure(String pod, String image, String reason, String message) {

        /** e.g. {@code cannot pull image r/source-controller:v1 (ImagePullBackOff: Back-off pulling image …)}. */
        String describe() {
            return "cannot pull image " + image + " (" + reason + (message == null || message.isBlank() ? "" : ": " + message.strip()) + ")";
        }
    }

    private ImagePulls() {
    }

    /** The pull failures of the Deployment's pods (those its selector picks), none when it or they are gone. */
    static List<Failure> of(KubernetesClient client, Deployment deployment) {
        if (deployment == null || deployment.getSpec() == null || deployment.getSpec().getSelector() == null) {
            return List.of();
        }
        Map<String, String> labels = deployment.getSpec().getSelector().getMatchLabels();
        if (labels == null || labels.isEmpty()) {
            return List.of();
        }
        List<Pod> pods;
        try {
            pods = client.pods().inNamespace(deployment.getMetadata().getNamespace()).withLabels(labels).list().getItems();
        } catch (KubernetesClientException e) {
            return List.of(); // no right to list pods: nothing to add to the Deployment's own status
        }
        List<Failure> failures = new ArrayList<>();
        for (Pod pod : pods) {
            if (pod.getStatus() == null) {
                continue;
            }
            Stream.concat(statuses(pod.getStatus().getInitContainerStatuses()), statuses(pod.getStatus().getContainerStatuses()))
                    .filter(s -> s.getState() != null && s.getState().getWaiting() != null
                            && REASONS.contains(s.getState().getWaiting().getReason()))
                    .forEach(s -> failures.add(new Failure(pod.getMetadata().getName(), s.getImage(),
                            s.getState().getWaiting().getReason(), s.getState().getWaiting().getMessage())));
        }
        return failures;
    }

    /** The Deployment {@code name} in {@code namespace}, then its pods' pull failures. */
    static List<Failure> of(KubernetesClient client, String namespace, String name) {
        return of(client, client.apps().deployments().inNamespace(namespace).withName(name).get());
    }

    /** What to do about it, for the end of a message. */
    static String advice() {
        return "push the images to that registry (see docs/images.md) or install with --registry <a registry that has them>";
    }

    private static Stream<ContainerStatus> statuses(List<ContainerStatus> statuses) {
        return statuses == null ? Stream.empty() : statuses.stream();
    }
}
