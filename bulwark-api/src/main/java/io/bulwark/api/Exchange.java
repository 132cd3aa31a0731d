package io.bulwark.api;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * One request and, later, its response, as policies see it. An exchange is confined to one event-loop thread:
 * policies read and change it only from the thread that called them. The one exception is
 * {@link #attribute(AttributeKey, Object)}, which an asynchronous policy may call from the thread that completes
 * its work, before it completes its stage.
 */
public interface Exchange {
    /** The request id: the client's {@code X-Request-Id} when it sent a valid one, a generated one otherwise. */
    String requestId();

    /** The id of the matched route. */
    String routeId();

    /** Upper-case method name. */
    String method();

    /** {@code http} or {@code https}, as the client reached the gateway. */
    String scheme();

    /** The host the client asked for, without port, lower case. */
    String host();

    /** The raw (still percent-encoded) path, without the query. */
    String path();

    /** The raw query string without {@code ?}, or {@code null}. */
    String query();

    /** The request headers; changes are forwarded upstream. */
    Headers requestHeaders();

    /** The client IP, resolved through the trusted proxies. */
    String clientIp();

    /** The declared request body length, or -1 when unknown (chunked). */
    long requestContentLength();

    /**
     * The certificate chain the client presented on a TLS listener that requests client certificates, leaf first;
     * empty when there is none (plain HTTP, no certificate sent). Already verified against the listener's trusted
     * CAs when the listener requires or requests client certificates.
     */
    default List<X509Certificate> clientCertificates() {
        return List.of();
    }

    /** The response being prepared; {@code null} before the response phase. */
    ResponseHead response();

    <T> Optional<T> attribute(AttributeKey<T> key);

    /**
     * Records that a policy in monitor mode would have rejected this request (or response) with {@code key}: the
     * exchange goes on, and the gateway counts the key in {@code bulwark_monitored_total} and logs it. Call it from
     * the exchange's thread.
     */
    default void monitor(ErrorKey key) {
        Monitored now = attribute(Attributes.MONITORED).orElse(null);
        attribute(Attributes.MONITORED, now == null ? new Monitored(java.util.List.of(key.key())) : now.with(key));
    }

    <T> void attribute(AttributeKey<T> key, T value);
}
