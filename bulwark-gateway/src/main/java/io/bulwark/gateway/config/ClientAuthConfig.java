package io.bulwark.gateway.config;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;

/**
 * Client certificate authentication (mutual TLS) on an HTTPS listener.
 *
 * @param mode whether a client certificate is required or only requested
 * @param trustedCa PEM bundle of the CA certificates client certificates must chain to
 * @param crl PEM (or DER) certificate revocation list, or null for none
 */
public record ClientAuthConfig(Mode mode, Path trustedCa, Path crl) {
    /** How hard the listener asks for a client certificate. */
    public enum Mode {
        /** The handshake fails without a valid client certificate. */
        REQUIRED,
        /** A certificate is requested and verified when sent; a client without one still connects. */
        OPTIONAL
    }

    public ClientAuthConfig {
        requireNonNull(mode, "mode");
        requireNonNull(trustedCa, "trustedCa");
    }
}
