package io.currents.testkit;

import org.junit.jupiter.api.Test;

import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * `currents dev up` runs the control plane from testkit in a JVM without the JUnit launcher on its class path: nothing
 * ControlPlane runs may load a class that needs it (the unit-loop filter implements a launcher interface, and once
 * made dev up fail with NoClassDefFoundError).
 */
class ControlPlaneWithoutJUnitTest {

    @Test
    void theUnitLoopGuardRunsWithoutTheJUnitLauncher() throws Exception {
        URL testkitClasses = ControlPlane.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader withoutLauncher = new ClassLoader(ControlPlane.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.startsWith("org.junit.platform.launcher.")) {
                    throw new ClassNotFoundException(name + " (hidden: dev up has no JUnit launcher)");
                }
                return super.loadClass(name, resolve);
            }
        };
        String before = System.getProperty(UnitTests.PROPERTY);
        System.setProperty(UnitTests.PROPERTY, "unit");
        try (URLClassLoader testkit = new URLClassLoader(new URL[] {testkitClasses}, withoutLauncher) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                // testkit's own classes from this loader, so their references resolve without the launcher
                if (name.startsWith("io.currents.testkit.")) {
                    synchronized (getClassLoadingLock(name)) {
                        Class<?> loaded = findLoadedClass(name);
                        return loaded != null ? loaded : findClass(name);
                    }
                }
                return super.loadClass(name, resolve);
            }
        }) {
            Class<?> isolated = testkit.loadClass(ControlPlane.class.getName());
            assertThat(isolated.getClassLoader()).isSameAs(testkit);
            // in the unit loop shared() refuses with its message: reaching it must not need the launcher
            assertThatThrownBy(() -> {
                try {
                    isolated.getMethod("shared").invoke(null);
                } catch (InvocationTargetException e) {
                    throw e.getCause();
                }
            }).isInstanceOf(IllegalStateException.class).hasMessageContaining("unit test loop");
        } finally {
            if (before == null) {
                System.clearProperty(UnitTests.PROPERTY);
            } else {
                System.setProperty(UnitTests.PROPERTY, before);
            }
        }
    }
}
