package io.bulwark.gateway.config;

import static java.util.Objects.requireNonNull;

/**
 * The admin listener: health, readiness and metrics without authentication; everything under
 * {@code /admin/api/} with the bearer token.
 *
 * @param enabled whether the admin listener runs
 * @param host the bind address; loopback by default
 * @param port the port
 * @param token the admin bearer token (a secret: never logged)
 */
public record AdminConfig(boolean enabled, String host, int port, String token) {
    public AdminConfig {
        requireNonNull(host, "host");
    }

    @Override
    public String toString() {
        return "AdminConfig[enabled=" + enabled + ", host=" + host + ", port=" + port + ", token=<redacted>]";
    }
}
