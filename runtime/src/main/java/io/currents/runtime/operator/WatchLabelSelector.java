package io.currents.runtime.operator;

import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RegisteredController;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * Flux's {@code --watch-label-selector}: the label selector of the objects of its own kinds a controller watches and
 * reconciles, the basis of horizontal sharding (shards select {@code sharding.fluxcd.io/key in (shard1)}, the main
 * controller {@code !sharding.fluxcd.io/key}). Unset, a controller reconciles every object, as Flux's default.
 */
@ApplicationScoped
public class WatchLabelSelector {

    /** The label by which Flux assigns an object to a shard. */
    public static final String SHARDING_KEY = "sharding.fluxcd.io/key";

    @ConfigProperty(name = "watch-label-selector")
    Optional<String> selector;

    public WatchLabelSelector() {
    }

    /** A fixed selector ({@code null} for none), for code that runs outside CDI. */
    public WatchLabelSelector(String selector) {
        this.selector = Optional.ofNullable(selector);
    }

    /** The selector, when one is set (a blank value counts as none). */
    public Optional<String> selector() {
        return selector.map(String::trim).filter(s -> !s.isEmpty());
    }

    /**
     * The name of the leader-election Lease: one per selector, as Flux derives its leader-election ID from the
     * selector, so that each shard elects its own leader instead of all shards waiting for one lease.
     */
    public String leaseName(String controllerName) {
        String base = controllerName + "-leader-election";
        return selector().map(s -> base + "-" + shortHash(s)).orElse(base);
    }

    /**
     * Fails the start when a reconciler of this controller does not take the selector (its
     * {@code quarkus.operator-sdk.controllers.<name>.selector=${watch-label-selector:}} line is missing): a shard
     * that reconciled some kinds of every shard would fight the other shards over them.
     */
    void verifyEveryControllerTakesIt(@Observes StartupEvent event, Instance<Operator> operator) {
        if (!operator.isResolvable()) {
            return;
        }
        String wanted = selector().orElse("");
        for (RegisteredController<?> controller : operator.get().getRegisteredControllers()) {
            String actual = Objects.requireNonNullElse(controller.getConfiguration().getInformerConfig().getLabelSelector(), "");
            if (!wanted.equals(actual.trim())) {
                String name = controller.getConfiguration().getName();
                throw new IllegalStateException("controller '" + name + "' watches with the label selector '" + actual
                        + "' instead of watch-label-selector '" + wanted + "': set quarkus.operator-sdk.controllers." + name
                        + ".selector=${watch-label-selector:}");
            }
        }
    }

    private static String shortHash(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
