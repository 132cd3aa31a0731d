package io.bulwark.gateway.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;

/**
 * Server TLS.
 *
 * @param certificate PEM certificate chain
 * @param key PEM private key (PKCS#8 or PKCS#1)
 * @param protocols enabled protocol versions, a subset of TLSv1.2 and TLSv1.3
 * @param http2 whether HTTP/2 is offered through ALPN
 * @param clientAuth client certificate authentication, or null when the listener asks for no certificate
 */
public record TlsConfig(
        Path certificate, Path key, List<String> protocols, boolean http2, ClientAuthConfig clientAuth) {
    public static final List<String> ALLOWED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    public TlsConfig {
        requireNonNull(certificate, "certificate");
        requireNonNull(key, "key");
        protocols = List.copyOf(protocols);
        if (protocols.isEmpty() || !ALLOWED_PROTOCOLS.containsAll(protocols)) {
            throw new IllegalArgumentException("protocols: " + protocols + " (expected: TLSv1.2 and/or TLSv1.3)");
        }
    }

    /** Server TLS without client certificates. */
    public TlsConfig(Path certificate, Path key, List<String> protocols, boolean http2) {
        this(certificate, key, protocols, http2, null);
    }
}
