package io.currents.runtime.events;

import java.util.regex.Pattern;

/**
 * Removes credentials that a URL carries from text meant for status, events and logs: the user-info of an http(s)
 * URL (a token is often given as the user name) and any {@code user:password@} of another scheme. An ssh URL's user
 * name alone ({@code ssh://git@host}) is not a credential and stays.
 */
public final class Redaction {

    private static final Pattern HTTP_USER_INFO = Pattern.compile("(?i)\\b(https?://)[^/@\\s'\"]+@");
    private static final Pattern USER_AND_PASSWORD = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s:'\"]*:[^/@\\s'\"]*@");

    private Redaction() {
    }

    /** The text with URL credentials removed; null stays null. */
    public static String urlCredentials(String text) {
        if (text == null || !text.contains("@")) {
            return text;
        }
        String once = HTTP_USER_INFO.matcher(text).replaceAll("$1");
        return USER_AND_PASSWORD.matcher(once).replaceAll("$1");
    }
}
