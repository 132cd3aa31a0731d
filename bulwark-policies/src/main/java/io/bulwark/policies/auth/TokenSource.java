package io.bulwark.policies.auth;

import static java.util.Objects.requireNonNull;

/**
 * Where a bearer token travels. Never the query string: it leaks into logs, history and {@code Referer}.
 *
 * @param kind how to read it
 * @param name the header or cookie name
 */
public record TokenSource(Kind kind, String name) {
    /** How the token is carried. */
    public enum Kind {
        /** {@code Authorization: Bearer <token>}. */
        BEARER,
        /** The whole value of a custom header is the token. */
        HEADER,
        COOKIE
    }

    /** {@code Authorization: Bearer <token>}. */
    public static final TokenSource DEFAULT = new TokenSource(Kind.BEARER, "Authorization");

    public TokenSource {
        requireNonNull(kind, "kind");
        requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name: blank (expected: a header or cookie name)");
        }
    }
}
