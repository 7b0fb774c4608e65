package io.currents.e2e;

import io.currents.cli.dev.ControllerProcess;
import io.currents.cli.dev.ControllerProcess.Controller;
import io.currents.oci.OciClient;
import io.currents.oci.OciReference;
import io.currents.testkit.TcpProxy;
import io.currents.testkit.registry.OciRegistry;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static io.currents.e2e.Eventually.await;
import static io.currents.e2e.FluxObjects.describe;
import static io.currents.e2e.FluxObjects.inventory;
import static io.currents.e2e.FluxObjects.notReadyReason;
import static io.currents.e2e.FluxObjects.ready;
import static io.currents.e2e.FluxObjects.string;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The soak: for {@code soak.minutes} minutes (system property; 60 with {@code -Psoak}, the {@code faults & ci}
 * execution's default otherwise, see e2e/pom.xml), every minute one fault the suite knows how to make, chosen by a
 * seeded {@link Random} ({@code soak.seed}, printed; the same seed gives the same faults, holds and changes in the same
 * order), while the workload goes on: a Git commit every minute (values changed, objects added and removed), and at
 * random a new chart version, a new image tag, which image-automation-controller commits to Git, a new object in an
 * S3 bucket applied through a Bucket source, and a new Flux artifact in an OCI registry applied through an OCIRepository.
 * kustomize-controller runs as two replicas with leader election throughout. {@code soak.faults} (names of {@link Fault},
 * comma-separated) restricts the draw to those faults.
 *
 * <p>After each fault is lifted the test waits until there is no drift between Git and the cluster (every object of
 * the last commit of each branch exists with the committed content and nothing else is left, the inventories are
 * exactly the commits' objects, every Kustomization and the HelmRelease Ready at the last revision, no Helm release
 * {@code pending-*}, the objects that never left Git never deleted and created again, the image tag last pushed in
 * Git, the bucket's last object and the last OCI artifact applied, both replicas running) and measures how long that took; then that an alert was delivered for each
 * revision the minute produced, the minute of a notification-controller kill included (its accepted events are in its
 * spool, delivered after the restart; the controllers retry what they post while it is down). It
 * ends with zero drift and nothing lost. The controllers' API requests all go through a {@link FaultyApiServer},
 * which counts them (and injects the API errors and slow answers when one of those faults is drawn).
 */
@Tag("faults")
@Tag("soak")
@Tag("ci")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Order(8)
class SoakTest extends FaultScenario {

    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final Duration SLOT = Duration.ofMinutes(1);
    /** How long an alert may take after the cluster converged: notification-controller retries for about 15s. */
    static final Duration ALERT_WAIT = Duration.ofSeconds(45);
    static final int VALUES = 10;
    static final int STABLE = 5;
    static final String IMAGE_API = "image.toolkit.fluxcd.io/v1";
    static final Map<Fault, Controller> KILLS = Map.of(Fault.KILL_SOURCE, Controller.SOURCE, Fault.KILL_KUSTOMIZE, Controller.KUSTOMIZE,
            Fault.KILL_HELM, Controller.HELM, Fault.KILL_IMAGE_AUTOMATION, Controller.IMAGE_AUTOMATION, Fault.KILL_NOTIFICATION,
            Controller.NOTIFICATION);
    static final List<Controller> RESTARTABLE = List.of(Controller.SOURCE, Controller.KUSTOMIZE, Controller.HELM, Controller.IMAGE_AUTOMATION,
            Controller.NOTIFICATION);
    static final String KUSTOMIZE_API = "kustomize.toolkit.fluxcd.io/v1";
    static final String HELM_API = "helm.toolkit.fluxcd.io/v2";
    static final String SOURCE_API = "source.toolkit.fluxcd.io/v1";
    /** The host name of the second replica of kustomize-controller, the start of its leader election identity. */
    static final String STANDBY = "standby";

    /** The faults of the suite, each made as its own scenario makes it. */
    enum Fault {
        KILL_SOURCE("source-controller SIGKILL"),
        KILL_KUSTOMIZE("kustomize-controller SIGKILL"),
        KILL_HELM("helm-controller SIGKILL"),
        KILL_IMAGE_AUTOMATION("image-automation-controller SIGKILL"),
        KILL_NOTIFICATION("notification-controller SIGKILL"),
        ARTIFACT_SERVER_DOWN("artifact server down while fetched"),
        API_SERVER_RESTART("kube-apiserver stopped and started"),
        API_500("API 500 on writes"),
        API_429("API 429 on writes"),
        API_SLOW("API answers 3s late"),
        GIT_DOWN("Git server down"),
        CHART_REPOSITORY_DOWN("chart repository down"),
        REGISTRY_DOWN("OCI registry down"),
        WEBHOOK_DOWN("webhook resetting"),
        S3_DOWN("S3 server down"),
        ARTIFACT_STORAGE_FULL("artifact storage full"),
        OCI_REGISTRY_DOWN("OCIRepository's registry down"),
        LEADER_KILL("kustomize-controller leader SIGKILL");

        final String label;

        Fault(String label) {
            this.label = label;
        }
    }

    /** An alert the webhook must receive: the involved object and the revision. */
    record Alert(String kind, String name, String revision) {
    }

    private final int minutes = Integer.getInteger("soak.minutes", 60);
    private final long seed = Long.getLong("soak.seed", System.nanoTime() % 1_000_000);
    /** The faults, their holds and delays: a stream of its own, so the seed alone gives the sequence of faults. */
    private final Random faults = new Random(seed);
    /** The workload's choices (values changed, objects added and removed, chart versions, image tags). */
    private final Random random = new Random(seed ^ 0x5DEECE66DL);

    private FaultyApiServer api;
    private OciRegistry registry;
    private TcpProxy registryProxy;
    private ChartRepository charts;
    private TcpProxy chartsProxy;
    private WebhookRecorder webhook;
    private TcpProxy webhookProxy;
    private S3Server s3;
    private Repository git;
    /** The OCIRepository's way to the registry (the image scan has its own, {@link #registryProxy}). */
    private TcpProxy ociProxy;
    private OciClient pusher;
    private OciReference artifacts;
    private int ociVersion;
    /** The digest of the artifact last pushed to {@link #artifacts}. */
    private String ociDigest;
    /** The second replica of kustomize-controller, for the whole soak; the first is the fault cluster's. */
    private ControllerProcess standby;
    /** The faults the draw picks from: {@code soak.faults} (names, comma-separated), else all this machine can make. */
    private List<Fault> drawable;

    private int commits;
    private int chartMinor;
    private int imageMinor;
    private int bucketVersion;
    private int nextExtra;
    private final Set<String> extras = new TreeSet<>();
    private String imagesBase;
    private final Map<String, String> uids = new HashMap<>();
    private final Map<Fault, List<Long>> convergence = new EnumMap<>(Fault.class);
    private final Map<Fault, Long> faultRequests = new EnumMap<>(Fault.class);
    private final List<Alert> expectedAlerts = new ArrayList<>();
    private final List<Long> alertDelays = new ArrayList<>();
    private final List<Alert> lostAlerts = new ArrayList<>();
    private int leadersRestarted;
    /** From the leader's kill until the other replica held the Lease, per LEADER_KILL. */
    private final List<Long> takeovers = new ArrayList<>();
    /** What the last storage fill, OCI registry outage and leader kill saw, for the minute's line. */
    private String storageFull;
    private String ociDown;
    private String leaderKilled;
    /** From the last kill until the controller started again was ready. */
    private long killedFor;
    private long started;

    @Override
    String scenario() {
        return "soak";
    }

    @BeforeAll
    void start() throws Exception {
        drawable = drawable();
        System.out.printf("[faults] soak: %d minutes, seed %d (run again with -Dsoak.seed=%d), faults drawn from %s%n", minutes, seed, seed,
                drawable);
        api = cluster.faultyApiServer();
        cluster.routeApiThrough(api);
        cluster.imageAutomation();
        registry = OciRegistry.start();
        registryProxy = TcpProxy.start(URI.create("http://" + registry.host()).getPort());
        charts = new ChartRepository();
        chartsProxy = TcpProxy.start(charts.port());
        webhook = WebhookRecorder.start();
        webhookProxy = TcpProxy.start(URI.create(webhook.url()).getPort());
        s3 = S3Server.start("manifests");
        s3.put("config.yaml", bucketObject());
        ociProxy = TcpProxy.start(URI.create("http://" + registry.host()).getPort());
        pusher = OciClient.builder().plainHttp(true).build();
        artifacts = OciReference.parse("oci://" + registry.host() + "/manifests").withTag("latest");
        ociDigest = pushArtifact(pusher, artifacts, "o0");
        standby = startStandby();
        git = new FileRepositoryBuilder().setGitDir(repo.path().toFile()).setBare().build();

        repo.change("main").file("app/stable.yaml", configMaps(i -> "stable-" + i, STABLE, "stable"))
                .file("app/values.yaml", values(new TreeMap<>(IntStream.range(0, VALUES).boxed()
                        .collect(Collectors.toMap(i -> i, i -> "s0")))))
                .commit("the soak's objects");
        imagesBase = repo.change("images").file("deploy/app.yaml", """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: app-image
                  namespace: %s
                data:
                  image: %s:1.0.0 # {"$imagepolicy": "%s:app"}
                """.formatted(ns, image(), ns)).commit("the app at 1.0.0");
        registry.push("app", "1.0.0");
        charts.publish("1.0.0", "c0");
        flux.applyGitRepositoryAndKustomization("app", cluster.url(repo), "./app", INTERVAL.toSeconds() + "s");
        applyAlert(through(webhook.url(), webhookProxy), "Kustomization/app", "Kustomization/images", "Kustomization/bucket",
                "Kustomization/oci", "HelmRelease/demo");
        flux.applyGitRepositoryAndKustomization("images", cluster.url(repo), "images", "./deploy", INTERVAL.toSeconds() + "s");
        applyChartRelease(chartsProxy.port(), INTERVAL);
        applyImageAutomation("images", "images", image(), INTERVAL.toSeconds() + "s", INTERVAL.toSeconds() + "s");
        kube.resourceList(s3.bucketSource(ns, "manifests", INTERVAL)).serverSideApply();
        flux.applyKustomization("bucket", "Bucket", "manifests", "./", INTERVAL.toSeconds() + "s");
        applyOciRepository("manifests", ociProxy.port(), "manifests", INTERVAL);
        flux.applyKustomization("oci", "OCIRepository", "manifests", "./", INTERVAL.toSeconds() + "s");
        await("the soak's objects converge before the first fault", CONVERGE, () -> drift().isEmpty(), () -> String.join("; ", drift()));
        kube.configMaps().inNamespace(ns).list().getItems().stream()
                .filter(c -> c.getMetadata().getName().startsWith("stable-") || c.getMetadata().getName().startsWith("soak-"))
                .forEach(c -> uids.put(c.getMetadata().getName(), c.getMetadata().getUid()));
        assertThat(uids).hasSize(STABLE + VALUES);
    }

    @AfterAll
    void close() {
        report();
        if (standby != null) {
            standby.stop(Duration.ofSeconds(5));
        }
        cluster.routeApiThrough(null);
        for (AutoCloseable c : new AutoCloseable[] {api, registryProxy, ociProxy, registry, chartsProxy, charts, webhookProxy, webhook, s3, git}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.out.println("[faults] soak: closing " + c + ": " + e);
            }
        }
    }

    @Test
    void aFaultEveryMinuteEndsWithZeroDriftAndNothingLost() throws Exception {
        started = System.nanoTime();
        Duration total = Duration.ofMinutes(minutes);
        // a fault a minute; a minute that runs over (the cluster not converged yet) delays the faults after it
        long next = 0;
        for (int slot = 1; next < total.toNanos(); slot++) {
            long wait = next - (System.nanoTime() - started);
            if (wait > 0) {
                Eventually.sleep(Duration.ofNanos(wait));
            }
            runSlot(slot);
            next = Math.max(next + SLOT.toNanos(), System.nanoTime() - started);
        }
        List<String> drift = drift();
        System.out.printf("[faults] soak final drift: %d (%s)%n", drift.size(), drift.isEmpty() ? "Git and the cluster agree" : String.join("; ", drift));
        assertThat(drift).as("final drift between Git and the cluster").isEmpty();
        assertThat(lostAlerts).as("alerts never delivered").isEmpty();
        List<String> updates = commitsSince("images", imagesBase);
        assertThat(updates).as("image update commits: at most one per tag pushed, none duplicated").hasSizeLessThanOrEqualTo(imageMinor)
                .allSatisfy(m -> assertThat(m).contains("update the app's image"));
    }

    private void runSlot(int slot) {
        Fault fault = drawable.get(faults.nextInt(drawable.size()));
        Duration hold = Duration.ofSeconds(5 + faults.nextInt(11));
        Duration delay = Duration.ofMillis(faults.nextInt(3000));
        String what = fault.label;
        int requestsBefore = api.requests().size();
        List<Alert> alerts = switch (fault) {
            case KILL_SOURCE, KILL_KUSTOMIZE, KILL_HELM, KILL_IMAGE_AUTOMATION, KILL_NOTIFICATION -> {
                List<Alert> a = killed(KILLS.get(fault), slot, fault, delay, hold);
                what += " " + delay.toMillis() + " ms after the changes, started again " + hold.toSeconds() + "s later, ready "
                        + killedFor + " ms after the kill";
                yield a;
            }
            case API_SERVER_RESTART -> {
                List<Alert> a = workload(slot, fault);
                Eventually.sleep(delay);
                long down = System.nanoTime();
                cluster.apiServer().stop();
                Eventually.sleep(Duration.ofSeconds(2));
                cluster.apiServer().start(Duration.ofMinutes(2));
                what += " (down " + Duration.ofNanos(System.nanoTime() - down).toMillis() + " ms)";
                // a leader that could not renew within its renew deadline exits by design: its pod would be restarted
                for (Controller c : RESTARTABLE) {
                    if (!cluster.controller(c).isAlive()) {
                        System.out.printf("[faults] soak %d: %s exited during the API server outage (renew deadline); started again%n",
                                slot, c.controllerName());
                        leadersRestarted++;
                        cluster.restart(c);
                    }
                }
                if (!standby.isAlive()) {
                    System.out.printf("[faults] soak %d: the standby kustomize-controller exited during the API server outage; started again%n", slot);
                    leadersRestarted++;
                    standby = startStandby();
                }
                yield a;
            }
            case ARTIFACT_SERVER_DOWN -> {
                List<Alert> a = artifactServerDown(slot, fault, hold);
                what += " (source-controller killed once it had packed the commit and the chart " + chartVersion() + "), "
                        + "kustomize- and helm-controller failing to fetch for " + hold.toSeconds() + "s, nothing applied; ready "
                        + killedFor + " ms after the kill";
                yield a;
            }
            case API_500, API_429, API_SLOW, GIT_DOWN, CHART_REPOSITORY_DOWN, REGISTRY_DOWN, S3_DOWN -> {
                int before = api.requests().size();
                List<Alert> a = switch (fault) {
                    case API_500 -> apiFault(slot, fault, hold, 500, Duration.ZERO);
                    case API_429 -> apiFault(slot, fault, hold, 429, Duration.ZERO);
                    case API_SLOW -> apiFault(slot, fault, hold, 0, Duration.ofSeconds(3));
                    case GIT_DOWN -> serverDown(cluster.gitServer(), slot, fault, hold);
                    case CHART_REPOSITORY_DOWN -> serverDown(chartsProxy, slot, fault, hold);
                    case S3_DOWN -> serverDown(s3.proxy(), slot, fault, hold);
                    default -> serverDown(registryProxy, slot, fault, hold);
                };
                List<FaultyApiServer.Request> during = api.requests();
                what += " for " + hold.toSeconds() + "s" + (fault.name().startsWith("API_")
                        ? " (" + during.subList(before, during.size()).stream().filter(r -> r.path().contains("/namespaces/" + ns + "/")
                        && (fault == Fault.API_SLOW || !r.method().equals("GET"))).count() + " requests hit by it)" : "");
                yield a;
            }
            case ARTIFACT_STORAGE_FULL -> {
                List<Alert> a = storageFull(slot, fault, hold);
                what += " for " + hold.toSeconds() + "s at least (" + storageFull + ")";
                yield a;
            }
            case OCI_REGISTRY_DOWN -> {
                List<Alert> a = ociRegistryDown(slot, fault, hold);
                what += " for " + hold.toSeconds() + "s at least, OCIRepository " + ociDown;
                yield a;
            }
            case LEADER_KILL -> {
                List<Alert> a = leaderKill(slot, fault, delay);
                what += " " + delay.toMillis() + " ms after the changes (" + leaderKilled + "), the other replica held the Lease "
                        + takeovers.getLast() + " ms after the kill; the killed one started again as the standby, ready " + killedFor
                        + " ms after the kill";
                yield a;
            }
            case WEBHOOK_DOWN -> {
                // within notification-controller's retry budget (1+2+4+8 s): longer, and an alert is lost by design
                webhookProxy.resetConnections();
                what += " for " + Math.min(hold.toSeconds(), 8) + "s";
                try {
                    List<Alert> a = workload(slot, fault);
                    Eventually.sleep(Duration.ofSeconds(Math.min(hold.toSeconds(), 8)));
                    yield a;
                } finally {
                    webhookProxy.restore();
                }
            }
        };
        long lifted = System.nanoTime();
        await("no drift after " + fault.label + " (minute " + slot + ")", CONVERGE, () -> drift().isEmpty(), () -> String.join("; ", drift()));
        long converged = Duration.ofNanos(System.nanoTime() - lifted).toMillis();
        convergence.computeIfAbsent(fault, f -> new ArrayList<>()).add(converged);
        int requests = api.requests().size() - requestsBefore;
        faultRequests.merge(fault, (long) requests, Long::sum);
        long alertsMs = awaitAlerts(alerts, lifted);
        System.out.printf("[faults] soak %d (%ds): %s; changes: %s; converged %d ms after it was lifted; %d API requests from the fault"
                        + " to convergence; alerts %s%n",
                slot, Duration.ofNanos(System.nanoTime() - started).toSeconds(), what, changes(alerts), converged, requests,
                alertsMs < 0 ? "LOST " + lostAlerts : alerts.size() + " delivered, the last " + alertsMs + " ms after the fault was lifted");
    }

    private String changes(List<Alert> alerts) {
        return alerts.stream().map(a -> switch (a.name()) {
            case "app" -> "commit";
            case "demo" -> "chart " + a.revision();
            case "bucket" -> "bucket object b" + bucketVersion;
            case "oci" -> "OCI artifact o" + ociVersion;
            default -> "image tag " + imageTag();
        }).collect(Collectors.joining(", "));
    }

    private List<Alert> killed(Controller c, int slot, Fault fault, Duration delay, Duration hold) {
        List<Alert> alerts = workload(slot, fault);
        Eventually.sleep(delay);
        long killed = System.nanoTime();
        cluster.kill(c);
        Eventually.sleep(hold);
        cluster.restart(c);
        killedFor = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        return alerts;
    }

    /**
     * The artifact storage full, made as {@link ArtifactStorageTest} makes it ({@link FaultCluster#fill}), before the
     * minute's changes (a commit and a chart version among them), and kept full: source-controller's garbage collection
     * of old artifacts frees a few KiB now and then, which the ballast takes back every 200 ms (a race a small chart
     * can still win: a HelmChart that stored its new chart in such room is printed, and must serve it whole). The
     * GitRepository must say its storage has no space left and keep announcing, and serving whole, its last artifact;
     * the Kustomization {@code app} applies nothing new; the HelmChart serves whole whatever it announces. After at
     * least {@code hold} the ballast goes and the drift check follows.
     */
    private List<Alert> storageFull(int slot, Fault fault, Duration hold) {
        Path ballast = cluster.storageFileSystem().resolve("soak-ballast");
        Supplier<GenericKubernetesResource> git = () -> flux.gitRepository("app");
        Supplier<GenericKubernetesResource> chart = () -> flux.get(SOURCE_API, "HelmChart", ns + "-demo");
        String served = string(git.get(), "status", "artifact", "revision");
        String chartServed = string(chart.get(), "status", "artifact", "revision");
        String applied = string(flux.kustomization("app"), "status", "lastAppliedRevision");
        AtomicBoolean full = new AtomicBoolean(true);
        Thread keeper = null;
        try {
            long filled = FaultCluster.fill(ballast);
            keeper = Thread.ofVirtual().start(() -> {
                while (full.get()) {
                    try {
                        FaultCluster.fill(ballast);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    Eventually.sleep(Duration.ofMillis(200));
                }
            });
            List<Alert> alerts = workload(slot, fault);
            long committed = System.nanoTime();
            await("GitRepository app says the storage is full", CONVERGE, () -> saysNoSpaceLeft(git.get()), () -> describe(git.get()));
            storageFull = (filled >> 20) + " MiB of ballast; GitRepository Ready=False " + notReadyReason(git.get()) + " "
                    + Duration.ofNanos(System.nanoTime() - committed).toMillis() + " ms after the commit";
            Eventually.sleep(hold);
            assertThat(string(git.get(), "status", "artifact", "revision")).as("the GitRepository's last artifact stays").isEqualTo(served);
            assertServedWhole(git.get());
            assertServedWhole(chart.get());
            String chartNow = string(chart.get(), "status", "artifact", "revision");
            if (!chartServed.equals(chartNow)) {
                storageFull += "; the HelmChart stored " + chartNow + " in room the garbage collection freed";
            }
            assertThat(string(flux.kustomization("app"), "status", "lastAppliedRevision")).as("nothing of a commit not stored is applied")
                    .isEqualTo(applied);
            return alerts;
        } catch (Exception e) {
            throw new IllegalStateException("artifact storage full (minute " + slot + ")", e);
        } finally {
            full.set(false);
            if (keeper != null) {
                try {
                    keeper.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            try {
                Files.deleteIfExists(ballast);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * The OCIRepository's registry down (its proxy refuses connections) while a new artifact is pushed to it: the
     * OCIRepository must say {@code OCIArtifactPullFailed}, keep announcing and serving whole its last artifact, and its
     * Kustomization keep what it applied; after at least {@code hold} the registry is back and the drift check follows.
     */
    private List<Alert> ociRegistryDown(int slot, Fault fault, Duration hold) {
        Supplier<GenericKubernetesResource> oci = () -> flux.get(SOURCE_API, "OCIRepository", "manifests");
        String served = string(oci.get(), "status", "artifact", "revision");
        String before = value("oci-config");
        ociProxy.cut();
        try {
            List<Alert> alerts = workload(slot, fault);
            long cut = System.nanoTime();
            await("OCIRepository manifests says its registry cannot be reached", CONVERGE,
                    () -> "OCIArtifactPullFailed".equals(notReadyReason(oci.get())), () -> describe(oci.get()));
            ociDown = "Ready=False OCIArtifactPullFailed " + Duration.ofNanos(System.nanoTime() - cut).toMillis() + " ms after the push";
            Eventually.sleep(hold);
            assertThat(string(oci.get(), "status", "artifact", "revision")).as("the OCIRepository's last artifact stays").isEqualTo(served);
            assertServedWhole(oci.get());
            assertThat(value("oci-config")).as("the cluster keeps the last artifact's object").isEqualTo(before);
            return alerts;
        } catch (Exception e) {
            throw new IllegalStateException("OCI registry down (minute " + slot + ")", e);
        } finally {
            ociProxy.restore();
        }
    }

    /**
     * The replica of kustomize-controller that holds the Lease SIGKILLed {@code delay} after the minute's changes: the
     * other must take the Lease (once it has expired, within the lease duration and a retry period) and converge; the
     * killed one is then started again in its place (same identity and directory) and stands by.
     */
    private List<Alert> leaderKill(int slot, Fault fault, Duration delay) {
        List<Alert> alerts = workload(slot, fault);
        Eventually.sleep(delay);
        String leader = leader();
        boolean standbyLeads = leader != null && leader.startsWith(STANDBY + "_");
        long killed = System.nanoTime();
        if (standbyLeads) {
            standby.kill();
        } else {
            cluster.kill(Controller.KUSTOMIZE);
        }
        leaderKilled = (standbyLeads ? "the standby replica" : "the first replica") + " held the Lease";
        await("the other replica of kustomize-controller takes the Lease", FaultCluster.LEASE.multipliedBy(3),
                () -> leader() != null && !leader().equals(leader), () -> "holder " + leader());
        takeovers.add(Duration.ofNanos(System.nanoTime() - killed).toMillis());
        if (standbyLeads) {
            standby = startStandby();
        } else {
            cluster.restart(Controller.KUSTOMIZE);
        }
        killedFor = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        assertThat(leader()).as("the replica started again stands by").isNotEqualTo(leader);
        return alerts;
    }

    /** The second replica of kustomize-controller: a host name and a directory of its own, so an identity of its own. */
    private ControllerProcess startStandby() {
        ControllerProcess replica = cluster.replica(Controller.KUSTOMIZE, "soak-" + STANDBY, Map.of("HOSTNAME", STANDBY));
        replica.awaitReady(Duration.ofMinutes(3));
        return replica;
    }

    /** The identity holding kustomize-controller's Lease, null when none does. */
    private String leader() {
        return LeaderElectionTest.holder(kube.leases().inNamespace(FaultCluster.NAMESPACE).withName(LeaderElectionTest.LEASE).get());
    }

    /** {@code soak.faults} (names, comma-separated) or every fault; the storage fill only where the storage can be filled. */
    private List<Fault> drawable() {
        String only = System.getProperty("soak.faults", "").strip();
        List<Fault> all = only.isEmpty() ? List.of(Fault.values())
                : Arrays.stream(only.split(",")).map(String::strip).map(Fault::valueOf).toList();
        if (cluster.storageFileSystem() == null && all.contains(Fault.ARTIFACT_STORAGE_FULL)) {
            System.out.println("[faults] soak: the artifact storage is no file system of its own here (tmpfs needs root): "
                    + Fault.ARTIFACT_STORAGE_FULL + " is not drawn");
            return all.stream().filter(f -> f != Fault.ARTIFACT_STORAGE_FULL).toList();
        }
        return all;
    }

    private List<Alert> apiFault(int slot, Fault fault, Duration hold, int status, Duration delay) {
        String namespaced = "/namespaces/" + ns + "/";
        api.inject(new FaultyApiServer.Fault(r -> r.path().contains(namespaced) && (status == 0 || !r.method().equals("GET")), status, delay));
        try {
            List<Alert> alerts = workload(slot, fault);
            Eventually.sleep(hold);
            return alerts;
        } finally {
            api.inject(null);
        }
    }

    private List<Alert> serverDown(TcpProxy proxy, int slot, Fault fault, Duration hold) {
        proxy.cut();
        try {
            List<Alert> alerts = workload(slot, fault);
            Eventually.sleep(hold);
            return alerts;
        } finally {
            proxy.restore();
        }
    }

    /**
     * source-controller's artifact server down while kustomize- and helm-controller fetch, made as
     * {@link ServerOutageTest} makes it: the Kustomization {@code app} and the HelmRelease suspended, the minute's
     * changes (a chart version among them) packed by source-controller, which is then SIGKILLed (its artifact server goes
     * with it); both resumed while it is down. The Kustomization must say {@code ArtifactFailed}, and neither may apply
     * anything of what it could not fetch; after {@code hold} source-controller starts again and the drift check follows.
     */
    private List<Alert> artifactServerDown(int slot, Fault fault, Duration hold) {
        String chartBefore = value("chart-config");
        String appliedBefore = string(flux.kustomization("app"), "status", "lastAppliedRevision");
        suspend(KUSTOMIZE_API, "Kustomization", "app", true);
        suspend(HELM_API, "HelmRelease", "demo", true);
        List<Alert> alerts;
        long killed;
        try {
            alerts = workload(slot, fault);
            String head = "main@sha1:" + repo.head("main");
            await("source-controller packs " + head + " and the chart " + chartVersion(), CONVERGE,
                    () -> head.equals(string(flux.gitRepository("app"), "status", "artifact", "revision"))
                            && chartVersion().equals(string(flux.get(SOURCE_API, "HelmChart", ns + "-demo"), "status", "artifact", "revision")),
                    () -> describe(flux.gitRepository("app")) + " / " + describe(flux.get(SOURCE_API, "HelmChart", ns + "-demo")));
            killed = System.nanoTime();
            cluster.kill(Controller.SOURCE);
        } finally {
            suspend(KUSTOMIZE_API, "Kustomization", "app", false);
            suspend(HELM_API, "HelmRelease", "demo", false);
        }
        try {
            await("the Kustomization says it cannot fetch the artifact", CONVERGE,
                    () -> "ArtifactFailed".equals(notReadyReason(flux.kustomization("app"))), () -> describe(flux.kustomization("app")));
            Eventually.sleep(hold);
            assertThat(string(flux.kustomization("app"), "status", "lastAppliedRevision")).as("nothing of a commit it could not fetch is applied")
                    .isEqualTo(appliedBefore);
            assertThat(value("chart-config")).as("nothing of a chart helm-controller could not fetch is installed").isEqualTo(chartBefore);
        } finally {
            cluster.restart(Controller.SOURCE);
        }
        killedFor = Duration.ofNanos(System.nanoTime() - killed).toMillis();
        return alerts;
    }

    /**
     * One minute's changes: a commit of the app (some values changed, at random an object added or one removed), at
     * random a new chart version and a new image tag; the reconcile requests a webhook receiver would make. Returns the
     * alerts the changes must produce, their revisions known once the cluster has converged.
     */
    private List<Alert> workload(int slot, Fault fault) {
        TreeMap<Integer, String> values = new TreeMap<>();
        for (int i = 0; i < VALUES; i++) {
            values.put(i, random.nextInt(3) == 0 ? "s" + slot : null);
        }
        var change = repo.change("main");
        Map<Integer, String> current = currentValues();
        values.replaceAll((i, v) -> v != null ? v : current.get(i));
        values.put(random.nextInt(VALUES), "s" + slot);
        change.file("app/values.yaml", values(values));
        if (random.nextInt(3) == 0) {
            String name = "extra-" + nextExtra++;
            extras.add(name);
            change.file("app/" + name + ".yaml", configMaps(i -> name, 1, "e" + slot));
        }
        if (!extras.isEmpty() && random.nextInt(3) == 0) {
            String gone = extras.stream().skip(random.nextInt(extras.size())).findFirst().orElseThrow();
            extras.remove(gone);
            change.delete("app/" + gone + ".yaml");
        }
        change.commit("minute " + slot);
        commits++;
        List<Alert> alerts = new ArrayList<>();
        alerts.add(new Alert("Kustomization", "app", null));
        flux.requestReconcile("source.toolkit.fluxcd.io/v1", "GitRepository", "app");
        // the server or controller a fault takes away always has something new to serve or do
        boolean chart = random.nextBoolean();
        boolean image = random.nextBoolean();
        if (chart || fault == Fault.CHART_REPOSITORY_DOWN || fault == Fault.KILL_HELM || fault == Fault.ARTIFACT_SERVER_DOWN
                || fault == Fault.ARTIFACT_STORAGE_FULL) {
            chartMinor++;
            charts.publish(chartVersion(), "c" + chartMinor);
            alerts.add(new Alert("HelmRelease", "demo", chartVersion()));
            flux.requestReconcile("source.toolkit.fluxcd.io/v1", "HelmRepository", "charts");
        }
        if (random.nextInt(3) == 0 || fault == Fault.S3_DOWN) {
            bucketVersion++;
            s3.put("config.yaml", bucketObject());
            alerts.add(new Alert("Kustomization", "bucket", null));
            flux.requestReconcile(SOURCE_API, "Bucket", "manifests");
        }
        if (random.nextInt(3) == 0 || fault == Fault.OCI_REGISTRY_DOWN) {
            // pushed to the registry itself, not through the proxy an outage cuts
            ociVersion++;
            ociDigest = pushArtifact(pusher, artifacts, "o" + ociVersion);
            alerts.add(new Alert("Kustomization", "oci", null));
            flux.requestReconcile(SOURCE_API, "OCIRepository", "manifests");
        }
        if (image || fault == Fault.REGISTRY_DOWN || fault == Fault.KILL_IMAGE_AUTOMATION) {
            imageMinor++;
            registry.push("app", imageTag());
            alerts.add(new Alert("Kustomization", "images", null));
            flux.requestReconcile(IMAGE_API, "ImageRepository", "app");
        }
        return alerts;
    }

    /**
     * Waits for the alerts of one minute, their revisions now known (the heads of the branches the cluster converged
     * on, the bucket's artifact the Kustomization applied); returns the delay of the last one after {@code lifted}, or
     * -1 when one did not arrive within the wait.
     */
    private long awaitAlerts(List<Alert> alerts, long lifted) {
        List<Alert> expected = alerts.stream().map(a -> a.revision() != null ? a : new Alert(a.kind(), a.name(), switch (a.name()) {
            case "app" -> "main@sha1:" + repo.head("main");
            case "images" -> "images@sha1:" + repo.head("images");
            default -> string(flux.kustomization(a.name()), "status", "lastAppliedRevision");
        })).toList();
        expectedAlerts.addAll(expected);
        try {
            await("alerts " + expected, ALERT_WAIT, () -> expected.stream().allMatch(this::delivered), () -> "received " + received());
        } catch (AssertionError e) {
            expected.stream().filter(a -> !delivered(a)).forEach(lostAlerts::add);
            return -1;
        }
        long delay = Duration.ofNanos(System.nanoTime() - lifted).toMillis();
        alertDelays.add(delay);
        return delay;
    }

    private boolean delivered(Alert alert) {
        // info only: a failed reconcile of the same revision reports an error event, which is not the alert of the change
        return webhook.events().stream().anyMatch(e -> "info".equals(e.get("severity"))
                && e.get("involvedObject") instanceof Map<?, ?> o && alert.kind().equals(o.get("kind"))
                && alert.name().equals(o.get("name")) && e.get("metadata") instanceof Map<?, ?> m && alert.revision().equals(m.get("revision")));
    }

    private List<String> received() {
        return webhook.events().stream().map(e -> e.get("involvedObject") instanceof Map<?, ?> o && e.get("metadata") instanceof Map<?, ?> m
                ? o.get("kind") + "/" + o.get("name") + "@" + m.get("revision") : String.valueOf(e)).toList();
    }

    /**
     * What differs between Git (and the chart repository and the registry) and the cluster; empty when they agree.
     */
    List<String> drift() {
        List<String> drift = new ArrayList<>();
        kustomizationDrift("app", "main", "app/", drift);
        kustomizationDrift("images", "images", "deploy/", drift);
        var bucket = flux.get(SOURCE_API, "Bucket", "manifests");
        var bucketKustomization = flux.kustomization("bucket");
        String served = string(bucket, "status", "artifact", "revision");
        if (!ready(bucket) || !ready(bucketKustomization) || served == null
                || !served.equals(string(bucketKustomization, "status", "lastAppliedRevision"))) {
            drift.add(describe(bucket) + " / " + describe(bucketKustomization));
        }
        if (!("b" + bucketVersion).equals(value("bucket-config"))) {
            drift.add("bucket-config holds " + value("bucket-config") + ", want b" + bucketVersion);
        }
        var oci = flux.get(SOURCE_API, "OCIRepository", "manifests");
        var ociKustomization = flux.kustomization("oci");
        String pushed = "latest@" + ociDigest;
        if (!ready(oci) || !ready(ociKustomization) || !pushed.equals(string(oci, "status", "artifact", "revision"))
                || !pushed.equals(string(ociKustomization, "status", "lastAppliedRevision"))) {
            drift.add(describe(oci) + " / " + describe(ociKustomization) + ", want " + pushed);
        }
        if (!List.of(ns + "_oci-config__ConfigMap").equals(inventory(ociKustomization))) {
            drift.add("inventory of oci " + inventory(ociKustomization) + ", want the ConfigMap oci-config");
        }
        if (!("o" + ociVersion).equals(value("oci-config"))) {
            drift.add("oci-config holds " + value("oci-config") + ", want o" + ociVersion);
        }
        String deployed = files("images", repo.head("images"), "deploy/").values().stream().findFirst().orElse("");
        if (!deployed.contains(image() + ":" + imageTag() + " ")) {
            drift.add("branch images does not hold " + imageTag() + " yet: " + describe(flux.get(IMAGE_API, "ImagePolicy", "app"))
                    + " / " + describe(flux.get(IMAGE_API, "ImageUpdateAutomation", "app")));
        }
        var release = flux.helmRelease("demo");
        if (!ready(release) || !chartVersion().equals(string(release, "status", "lastAttemptedRevision"))) {
            drift.add(describe(release) + " lastAttemptedRevision=" + string(release, "status", "lastAttemptedRevision") + ", want " + chartVersion());
        }
        if (!("c" + chartMinor).equals(value("chart-config"))) {
            drift.add("chart-config holds " + value("chart-config") + ", want c" + chartMinor);
        }
        TreeMap<Integer, String> records = new TreeMap<>();
        for (Secret s : kube.secrets().inNamespace(ns).withLabel("owner", "helm").withLabel("name", "demo").list().getItems()) {
            records.put(Integer.parseInt(s.getMetadata().getLabels().get("version")), s.getMetadata().getLabels().get("status"));
        }
        if (records.values().stream().anyMatch(s -> s.startsWith("pending")) || records.isEmpty()
                || !"deployed".equals(records.lastEntry().getValue())) {
            drift.add("Helm release records " + records);
        }
        for (ConfigMap cm : kube.configMaps().inNamespace(ns).list().getItems()) {
            String uid = uids.get(cm.getMetadata().getName());
            if (uid != null && !uid.equals(cm.getMetadata().getUid())) {
                drift.add(cm.getMetadata().getName() + " was deleted and created again (uid " + uid + " -> " + cm.getMetadata().getUid() + ")");
            }
        }
        for (Controller c : RESTARTABLE) {
            if (!cluster.controller(c).isAlive()) {
                drift.add(c.controllerName() + " is not running");
            }
        }
        if (!standby.isAlive()) {
            drift.add("the standby kustomize-controller is not running");
        }
        return drift;
    }

    /** The Kustomization is Ready at the branch's head, its inventory exactly the head's objects, each as committed, no other left. */
    private void kustomizationDrift(String name, String branch, String dir, List<String> drift) {
        String head = repo.head(branch);
        var k = flux.kustomization(name);
        if (!ready(k) || !(branch + "@sha1:" + head).equals(string(k, "status", "lastAppliedRevision"))) {
            drift.add(describe(k) + ", want " + branch + "@sha1:" + head);
        }
        Map<String, Map<String, String>> committed = new TreeMap<>();
        for (String yaml : files(branch, head, dir).values()) {
            for (HasMetadata object : kube.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
                committed.put(object.getMetadata().getName(), ((ConfigMap) object).getData());
            }
        }
        Set<String> ids = committed.keySet().stream().map(n -> ns + "_" + n + "__ConfigMap").collect(Collectors.toCollection(TreeSet::new));
        Set<String> listed = new TreeSet<>(inventory(k));
        if (!ids.equals(listed)) {
            drift.add("inventory of " + name + " " + listed + ", want " + ids);
        }
        Map<String, ConfigMap> applied = kube.configMaps().inNamespace(ns).withLabel("kustomize.toolkit.fluxcd.io/name", name).list().getItems()
                .stream().collect(Collectors.toMap(c -> c.getMetadata().getName(), c -> c));
        committed.forEach((n, data) -> {
            ConfigMap cm = applied.get(n);
            if (cm == null) {
                drift.add("ConfigMap " + n + " of " + branch + "@" + head.substring(0, 8) + " missing");
            } else if (!Objects.equals(data, cm.getData())) {
                drift.add("ConfigMap " + n + " holds " + cm.getData() + ", Git " + data);
            }
        });
        applied.keySet().stream().filter(n -> !committed.containsKey(n)).forEach(n -> drift.add("ConfigMap " + n + " not in Git, not pruned"));
    }

    /** The files under {@code dir} at {@code commit}, by path. */
    private Map<String, String> files(String branch, String commit, String dir) {
        Map<String, String> files = new LinkedHashMap<>();
        try (RevWalk walk = new RevWalk(git); TreeWalk tree = new TreeWalk(git)) {
            tree.addTree(walk.parseCommit(ObjectId.fromString(commit)).getTree());
            tree.setRecursive(true);
            tree.setFilter(PathFilter.create(dir.substring(0, dir.length() - 1)));
            while (tree.next()) {
                files.put(tree.getPathString(), new String(git.open(tree.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + branch + "@" + commit, e);
        }
        return files;
    }

    private Map<Integer, String> currentValues() {
        Map<Integer, String> values = new HashMap<>();
        for (String yaml : files("main", repo.head("main"), "app/").entrySet().stream().filter(e -> e.getKey().equals("app/values.yaml"))
                .map(Map.Entry::getValue).toList()) {
            for (HasMetadata object : kube.load(new ByteArrayInputStream(yaml.getBytes(StandardCharsets.UTF_8))).items()) {
                values.put(Integer.parseInt(object.getMetadata().getName().substring("soak-".length())), ((ConfigMap) object).getData().get("value"));
            }
        }
        return values;
    }

    private String values(TreeMap<Integer, String> values) {
        return values.entrySet().stream().map(e -> configMaps(i -> "soak-" + e.getKey(), 1, e.getValue())).collect(Collectors.joining("---\n"));
    }

    /** The bucket's one object: the ConfigMap {@code bucket-config} holding the current version. */
    private String bucketObject() {
        return configMaps(i -> "bucket-config", 1, "b" + bucketVersion);
    }

    private String image() {
        return "127.0.0.1:" + registryProxy.port() + "/app";
    }

    private String imageTag() {
        return "1." + imageMinor + ".0";
    }

    private String chartVersion() {
        return "1." + chartMinor + ".0";
    }

    /** The figures, also when the soak failed part of the way. */
    private void report() {
        if (started == 0) {
            return;
        }
        Duration ran = Duration.ofNanos(System.nanoTime() - started);
        int faults = convergence.values().stream().mapToInt(List::size).sum();
        System.out.printf("[faults] soak: seed %d, %d s, %d faults survived, %d commits, %d chart versions, %d image tags, %d bucket objects,"
                        + " %d OCI artifacts; load average %s%n",
                seed, ran.toSeconds(), faults, commits, chartMinor, imageMinor, bucketVersion, ociVersion, loadAverage());
        convergence.forEach((fault, times) -> {
            List<Long> sorted = times.stream().sorted().toList();
            System.out.printf("[faults] soak %-36s %2d× converged in %s ms (min %d, max %d); %d API requests from the faults to convergence%n",
                    fault.label + ":", times.size(), times, sorted.getFirst(), sorted.getLast(), faultRequests.get(fault));
        });
        List<FaultyApiServer.Request> requests = api.requests();
        System.out.printf("[faults] soak requests: %d to the API server (%.0f a minute; %d writes), %d to the Git server%n",
                requests.size(), requests.size() / Math.max(1.0, ran.toSeconds() / 60.0),
                requests.stream().filter(r -> !r.method().equals("GET")).count(), cluster.gitRequests().size());
        if (!takeovers.isEmpty()) {
            System.out.printf("[faults] soak leader kills: the other replica held the Lease %s ms after the kill (lease %ds)%n", takeovers,
                    FaultCluster.LEASE.toSeconds());
        }
        System.out.printf("[faults] soak alerts: %d expected, %d lost%s;"
                        + " leaders restarted after an API server outage: %d%n",
                expectedAlerts.size(), lostAlerts.size(), alertDelays.isEmpty() ? ""
                        : ", the last of each minute " + alertDelays.stream().mapToLong(Long::longValue).max().orElse(0) + " ms at most after the fault was lifted",
                leadersRestarted);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
