package io.currents.testkit;

import org.junit.platform.engine.FilterResult;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestSource;
import org.junit.platform.engine.support.descriptor.ClassSource;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.PostDiscoveryFilter;

import java.lang.annotation.Annotation;
import java.util.Set;

/**
 * The fast test loop ({@code ./mvnw test -Punit}, which sets {@value #PROPERTY}{@code =unit}): leaves out every test
 * that needs the control plane, that is Quarkus tests (a controller started against it) and classes tagged
 * {@value #CLUSTER_TAG}, and the few tagged {@value #SLOW_TAG} (the profile excludes both tags). Registered with the JUnit Platform as a service, so it
 * applies to every module that has testkit on its test class path, and does nothing outside the loop.
 */
public final class UnitTests implements PostDiscoveryFilter {

    public static final String PROPERTY = "currents.tests";
    /** The JUnit tag of tests that use {@link ControlPlane} without being Quarkus tests. */
    public static final String CLUSTER_TAG = "cluster";
    /** The JUnit tag of tests that need no control plane but take tens of seconds (external tools, timeouts). */
    public static final String SLOW_TAG = "slow";

    private static final Set<String> CLUSTER_ANNOTATIONS = Set.of(
            "io.quarkus.test.junit.QuarkusTest", "io.quarkus.test.junit.QuarkusIntegrationTest");

    /** Whether this JVM runs the unit test loop. */
    public static boolean active() {
        return "unit".equals(System.getProperty(PROPERTY));
    }

    @Override
    public FilterResult apply(TestDescriptor descriptor) {
        if (!active()) {
            return FilterResult.included("not the unit test loop");
        }
        Class<?> type = descriptor.getSource().map(UnitTests::classOf).orElse(null);
        if (type != null && startsAController(type)) {
            return FilterResult.excluded("a Quarkus test needs the control plane");
        }
        return FilterResult.included("no control plane needed");
    }

    private static Class<?> classOf(TestSource source) {
        if (source instanceof ClassSource c) {
            return c.getJavaClass();
        }
        if (source instanceof MethodSource m) {
            return m.getJavaClass();
        }
        return null;
    }

    /** Whether the class, a superclass or an enclosing class (for {@code @Nested} tests) is a Quarkus test. */
    private static boolean startsAController(Class<?> type) {
        for (Class<?> outer = type; outer != null; outer = outer.getEnclosingClass()) {
            for (Class<?> c = outer; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Annotation a : c.getAnnotations()) {
                    if (CLUSTER_ANNOTATIONS.contains(a.annotationType().getName())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }
}
