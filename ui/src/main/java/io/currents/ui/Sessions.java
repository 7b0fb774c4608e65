package io.currents.ui;

import jakarta.enterprise.context.ApplicationScoped;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Token-login sessions (random ids in a cookie, kept in memory: a restart logs everyone out) and the CSRF tokens of
 * every form: an HMAC of the user's name and groups under a key made at start, so a page of another user or of
 * another process does not carry a valid one.
 */
@ApplicationScoped
public class Sessions {

    public static final String COOKIE = "currents-ui-session";
    private static final int MAX_SESSIONS = 10_000;

    private final SecureRandom random = new SecureRandom();
    private final byte[] key = new byte[32];
    private final Map<String, UiUser> sessions = new ConcurrentHashMap<>();

    public Sessions() {
        random.nextBytes(key);
    }

    public String open(UiUser user) {
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.clear();
        }
        byte[] id = new byte[32];
        random.nextBytes(id);
        String session = Base64.getUrlEncoder().withoutPadding().encodeToString(id);
        sessions.put(session, user);
        return session;
    }

    public Optional<UiUser> find(String session) {
        return session == null ? Optional.empty() : Optional.ofNullable(sessions.get(session));
    }

    public void close(String session) {
        if (session != null) {
            sessions.remove(session);
        }
    }

    public String csrfToken(UiUser user) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            byte[] sum = mac.doFinal((user.name() + "\n" + String.join(",", user.groups())).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(sum);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public boolean csrfValid(UiUser user, String token) {
        return token != null && MessageDigest.isEqual(csrfToken(user).getBytes(StandardCharsets.UTF_8),
                token.getBytes(StandardCharsets.UTF_8));
    }

    /** Compares a presented login token with the configured one in constant time. */
    public static boolean tokenMatches(String expected, String presented) {
        return expected != null && presented != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }
}
