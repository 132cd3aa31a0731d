package io.bulwark.policies.auth;

import io.bulwark.api.ErrorKey;

/** Error keys shared by the bearer-token policies ({@code jwt}, {@code introspection}) and {@code api-key}. */
public final class AuthErrors {
    /** No credential, or an {@code Authorization} header that is not {@code Bearer <token>}. */
    public static final ErrorKey AUTH_MISSING = new ErrorKey("AUTH_MISSING", 401, "Authentication required");

    /** A token was sent in the {@code access_token} query parameter, where it leaks into logs and referrers. */
    public static final ErrorKey AUTH_TOKEN_IN_QUERY =
            new ErrorKey("AUTH_TOKEN_IN_QUERY", 401, "Access token not accepted in the query string");

    /**
     * The gateway has an {@code environment} and the token was issued for another one (its environment claim, or
     * without one its audience, does not name the gateway's environment).
     */
    public static final ErrorKey AUTH_ENVIRONMENT =
            new ErrorKey("AUTH_ENVIRONMENT", 401, "Token issued for another environment");

    private AuthErrors() {}
}
