package io.bulwark.gateway.config;

import static java.util.Objects.requireNonNull;

/**
 * One listening socket.
 *
 * @param name a label for logs and metrics
 * @param protocol {@code http}, {@code https} or {@code redirect} (answers every request with a 308 to HTTPS)
 * @param host the bind address
 * @param port the port; 0 picks a free one
 * @param tls certificate settings, for {@code https} only
 * @param hsts the Strict-Transport-Security header, for {@code https} only
 * @param redirectPort the HTTPS port a {@code redirect} listener points to
 */
public record ListenerConfig(
        String name, Protocol protocol, String host, int port, TlsConfig tls, HstsConfig hsts, int redirectPort) {
    /** What a listener speaks. */
    public enum Protocol {
        HTTP,
        HTTPS,
        REDIRECT
    }

    public ListenerConfig {
        requireNonNull(name, "name");
        requireNonNull(protocol, "protocol");
        requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0..65535)");
        }
        if ((protocol == Protocol.HTTPS) != (tls != null)) {
            throw new IllegalArgumentException("tls: expected exactly for https listeners");
        }
    }
}
