package io.bulwark.policies.auth.mtls;

import io.bulwark.api.ErrorKey;

/** The stable error keys of the {@code mtls} policy. */
public final class MtlsErrors {
    /**
     * The request came without a verified client certificate: none was sent (a listener in {@code optional} mode),
     * or the listener does not ask for client certificates at all.
     */
    public static final ErrorKey MTLS_CERT_REQUIRED =
            new ErrorKey("MTLS_CERT_REQUIRED", 401, "Client certificate required");

    /**
     * The client certificate is expired or not valid yet, cannot be read, or lacks the name the consumer id is
     * taken from.
     */
    public static final ErrorKey MTLS_CERT_INVALID =
            new ErrorKey("MTLS_CERT_INVALID", 401, "Invalid client certificate");

    /** The certificate is valid but neither its subject nor any of its names is on the route's allow-lists. */
    public static final ErrorKey MTLS_CERT_NOT_ALLOWED =
            new ErrorKey("MTLS_CERT_NOT_ALLOWED", 403, "Client certificate not allowed");

    private MtlsErrors() {}
}
