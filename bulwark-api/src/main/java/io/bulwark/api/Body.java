package io.bulwark.api;

/**
 * A buffered message body handed to a policy that asked for it ({@link Policy#inspectsRequestBody(Exchange)},
 * {@link Policy#inspectsResponseBody(Exchange)}). The gateway buffers at most the route's inspection limit; a larger
 * body never reaches the policy. Confined to the event-loop thread that called the policy.
 */
public interface Body {
    /** The body's bytes. The array is shared: do not change it, use {@link #replace(byte[])}. */
    byte[] bytes();

    /** The {@code Content-Type} header value, or null. */
    String contentType();

    /**
     * Replaces the body that continues through the chain (and upstream, or to the client). The gateway fixes
     * {@code Content-Length}.
     */
    void replace(byte[] bytes);
}
