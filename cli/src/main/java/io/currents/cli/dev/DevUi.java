package io.currents.cli.dev;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;

/**
 * How {@code dev up} runs the UI: in its token mode (no OIDC provider on a developer's machine), with a random login
 * token made for this environment, acting as a cluster administrator of the local control plane (the developer owns
 * it: the kubeconfig {@code dev up} prints is cluster-admin too). The token is printed once and kept, readable by its
 * owner only, in {@code .currents/dev/ui-token}.
 */
public final class DevUi {

    /** The user and group the UI impersonates for a dev login: the local control plane's administrator. */
    public static final String DEV_USER = "currents-dev";
    public static final String DEV_GROUP = "system:masters";

    private static final SecureRandom RANDOM = new SecureRandom();

    private DevUi() {
    }

    /** A new login token: 32 random bytes, URL-safe. */
    public static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The UI's environment for the token mode: the token, and who a login with it is in Kubernetes. */
    public static Map<String, String> environment(String token) {
        return environment(token, DEV_USER, DEV_GROUP);
    }

    /** The UI's environment for a token login acting as {@code user} with {@code groups} (comma-separated). */
    public static Map<String, String> environment(String token, String user, String groups) {
        return Map.of(
                "CURRENTS_UI_TOKEN_VALUE", token,
                "CURRENTS_UI_TOKEN_USER", user,
                "CURRENTS_UI_TOKEN_GROUPS", groups);
    }

    /** Where the UI of a started process answers. */
    public static String url(ControllerProcess ui) {
        return "http://127.0.0.1:" + ui.httpPort() + "/";
    }

    static Path tokenFile(Path stateDir) {
        return stateDir.resolve("ui-token");
    }

    static void saveToken(Path stateDir, String token) {
        Path file = tokenFile(stateDir);
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, token + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
