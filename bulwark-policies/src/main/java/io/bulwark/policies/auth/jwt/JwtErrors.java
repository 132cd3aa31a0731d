package io.bulwark.policies.auth.jwt;

import io.bulwark.api.ErrorKey;
import io.bulwark.policies.auth.AuthErrors;

/** The stable error keys of the {@code jwt} policy; every one answers 401 except {@link #JWKS_UNAVAILABLE} (503). */
public final class JwtErrors {
    /** No credential, or an {@code Authorization} header that is not {@code Bearer <token>}: the shared key. */
    public static final ErrorKey AUTH_MISSING = AuthErrors.AUTH_MISSING;

    /** A token was sent in the {@code access_token} query parameter: the shared key. */
    public static final ErrorKey AUTH_TOKEN_IN_QUERY = AuthErrors.AUTH_TOKEN_IN_QUERY;

    /** The token was issued for another environment than the gateway's: the shared key. */
    public static final ErrorKey AUTH_ENVIRONMENT = AuthErrors.AUTH_ENVIRONMENT;

    /** The token is too large or is not a signed JWT in compact form. */
    public static final ErrorKey JWT_MALFORMED = new ErrorKey("JWT_MALFORMED", 401, "Malformed token");

    /** The token's algorithm is not allowed (or does not fit the key it names). */
    public static final ErrorKey JWT_ALG_NOT_ALLOWED =
            new ErrorKey("JWT_ALG_NOT_ALLOWED", 401, "Token algorithm not allowed");

    /** No configured key matches the token's {@code kid} (or its algorithm, when it names no key). */
    public static final ErrorKey JWT_KEY_UNKNOWN = new ErrorKey("JWT_KEY_UNKNOWN", 401, "Unknown signing key");

    public static final ErrorKey JWT_SIGNATURE_INVALID =
            new ErrorKey("JWT_SIGNATURE_INVALID", 401, "Invalid token signature");

    /** A claim has the wrong type, or {@code exp} or {@code sub} is missing. */
    public static final ErrorKey JWT_CLAIMS_INVALID = new ErrorKey("JWT_CLAIMS_INVALID", 401, "Invalid token claims");

    public static final ErrorKey JWT_EXPIRED = new ErrorKey("JWT_EXPIRED", 401, "Token expired");

    public static final ErrorKey JWT_NOT_YET_VALID = new ErrorKey("JWT_NOT_YET_VALID", 401, "Token not yet valid");

    public static final ErrorKey JWT_ISSUER = new ErrorKey("JWT_ISSUER", 401, "Token issuer not accepted");

    public static final ErrorKey JWT_AUDIENCE = new ErrorKey("JWT_AUDIENCE", 401, "Token audience not accepted");

    /** The token lives longer than {@code max_lifetime} allows. */
    public static final ErrorKey JWT_LIFETIME = new ErrorKey("JWT_LIFETIME", 401, "Token lifetime too long");

    public static final ErrorKey JWT_CLAIM_MISSING = new ErrorKey("JWT_CLAIM_MISSING", 401, "Required claim missing");

    /**
     * RFC 8705 certificate-bound token: the token's {@code cnf.x5t#S256} does not match the client certificate of
     * the request (or none was presented), or the route requires bound tokens and this one is not bound.
     */
    public static final ErrorKey JWT_CERT_BINDING =
            new ErrorKey("JWT_CERT_BINDING", 401, "Token not bound to the client certificate");

    /**
     * Remote keys are configured ({@code jwks_url} or {@code discovery}) but none has been fetched yet and no local
     * key verifies the token: fail closed, with {@code Retry-After: 5}.
     */
    public static final ErrorKey JWKS_UNAVAILABLE =
            new ErrorKey("JWKS_UNAVAILABLE", 503, "Token signing keys unavailable");

    private JwtErrors() {}
}
