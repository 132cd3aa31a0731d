package io.bulwark.policies.authz;

import io.bulwark.api.ErrorKey;

/** The stable error keys of the {@code authz} policy. */
public final class AuthzErrors {
    /**
     * No principal: the route lets requests reach {@code authz} without an authentication policy before it. The same
     * key (and title) as the authentication policies'.
     */
    public static final ErrorKey AUTH_MISSING = new ErrorKey("AUTH_MISSING", 401, "Authentication required");

    /** The principal lacks the scopes of every security alternative of the operation. */
    public static final ErrorKey AUTHZ_INSUFFICIENT_SCOPE =
            new ErrorKey("AUTHZ_INSUFFICIENT_SCOPE", 403, "Insufficient scope");

    /** The route has an OpenAPI document and the request matched none of its operations. */
    public static final ErrorKey AUTHZ_UNKNOWN_OPERATION =
            new ErrorKey("AUTHZ_UNKNOWN_OPERATION", 403, "Operation not allowed");

    /** A claim rule's {@code require} did not hold. */
    public static final ErrorKey AUTHZ_RULE_DENIED = new ErrorKey("AUTHZ_RULE_DENIED", 403, "Access denied by rule");

    /** An object rule found an object that does not belong to the caller ({@code on_deny: 403}). */
    public static final ErrorKey AUTHZ_OBJECT_DENIED =
            new ErrorKey("AUTHZ_OBJECT_DENIED", 403, "Access to this object denied");

    /**
     * An object rule found an object that does not belong to the caller, answered as if it did not exist
     * ({@code on_deny: 404}) so that ids of other users cannot be probed.
     */
    public static final ErrorKey AUTHZ_OBJECT_NOT_FOUND =
            new ErrorKey("AUTHZ_OBJECT_NOT_FOUND", 404, "Object not found");

    /** The operation is an administrative function and the caller is not an administrator. */
    public static final ErrorKey AUTHZ_ADMIN_ONLY = new ErrorKey("AUTHZ_ADMIN_ONLY", 403, "Administrators only");

    private AuthzErrors() {}
}
