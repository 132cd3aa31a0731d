package io.bulwark.policies.auth.introspection;

import io.bulwark.api.ErrorKey;

/**
 * The stable error keys of the {@code introspection} policy; every one answers 401 except {@link
 * #INTROSPECTION_UNAVAILABLE} (503). A missing or misplaced token answers with the shared {@code AUTH_*} keys of
 * {@link io.bulwark.policies.auth.AuthErrors}.
 */
public final class IntrospectionErrors {
    /** The authorization server says the token is not active (revoked, expired, unknown), or its {@code exp} passed. */
    public static final ErrorKey TOKEN_INACTIVE = new ErrorKey("TOKEN_INACTIVE", 401, "Token not active");

    /** The introspection response's {@code iss} is not the configured {@code issuer}. */
    public static final ErrorKey TOKEN_ISSUER = new ErrorKey("TOKEN_ISSUER", 401, "Token issuer not accepted");

    /** None of the introspection response's {@code aud} values is one of the configured {@code audiences}. */
    public static final ErrorKey TOKEN_AUDIENCE = new ErrorKey("TOKEN_AUDIENCE", 401, "Token audience not accepted");

    /**
     * The token is active but its introspection response cannot describe a caller: no {@code sub} or consumer claim,
     * or a member ({@code scope}, {@code exp}, {@code auth_time}, ...) of the wrong type.
     */
    public static final ErrorKey TOKEN_CLAIMS_INVALID =
            new ErrorKey("TOKEN_CLAIMS_INVALID", 401, "Invalid token claims");

    /**
     * The authorization server could not be asked (down, timed out, answered with an error or an unusable document),
     * or too many introspection calls are in flight: fail closed, with {@code Retry-After}.
     */
    public static final ErrorKey INTROSPECTION_UNAVAILABLE =
            new ErrorKey("INTROSPECTION_UNAVAILABLE", 503, "Token introspection unavailable");

    private IntrospectionErrors() {}
}
