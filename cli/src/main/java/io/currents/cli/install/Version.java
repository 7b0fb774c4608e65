package io.currents.cli.install;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The version of this build of the CLI, which is also the version of the controllers it installs. */
public final class Version {

    private static final String VERSION = load();

    private Version() {
    }

    /** e.g. {@code 0.1.0} (or {@code 0.1.0-SNAPSHOT} for a development build). */
    public static String number() {
        return VERSION;
    }

    /** The image tag and label value, e.g. {@code v0.1.0}. */
    public static String tag() {
        return "v" + VERSION;
    }

    private static String load() {
        try (InputStream in = Version.class.getResourceAsStream("/io/currents/cli/version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties is missing from the CLI jar; rebuild it");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
