package io.bulwark.api;

import static java.util.Objects.requireNonNull;

import java.util.regex.Pattern;

/**
 * A stable, documented error identifier with the HTTP status it answers with.
 *
 * <p>Keys are part of Bulwark's public contract: clients and dashboards match on them, so a key is never renamed
 * or reused for another meaning. Every key is listed in {@code docs/errors.md}.
 *
 * @param key upper-case identifier such as {@code RATE_LIMITED}
 * @param status the HTTP status of the problem response
 * @param title a short human title for the problem document; never contains request data
 */
public record ErrorKey(String key, int status, String title) {
    private static final Pattern KEY = Pattern.compile("[A-Z][A-Z0-9_]{1,63}");

    public ErrorKey {
        requireNonNull(key, "key");
        requireNonNull(title, "title");
        if (!KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("key: " + key + " (expected: upper-case letters, digits and _)");
        }
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 400..599)");
        }
    }
}
