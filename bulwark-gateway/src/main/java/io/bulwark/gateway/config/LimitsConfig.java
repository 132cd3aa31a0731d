package io.bulwark.gateway.config;

import java.time.Duration;

/**
 * Request limits, with the status each one answers with.
 *
 * @param maxHeaderBytes total size of the request headers (431)
 * @param maxUriLength length of the request target (414)
 * @param maxBodyBytes request body, counted as it streams (413)
 * @param requestTimeout time to receive the whole request, body included (408)
 * @param idleTimeout a connection with no traffic for this long is closed
 * @param maxConnections open client connections per listener; more are refused at accept
 */
public record LimitsConfig(
        int maxHeaderBytes,
        int maxUriLength,
        long maxBodyBytes,
        Duration requestTimeout,
        Duration idleTimeout,
        int maxConnections,
        int maxInspectedBodyBytes) {
    public static final LimitsConfig DEFAULT = new LimitsConfig(
            16 * 1024, 8192, 10L * 1024 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(60), 10_000, 1 << 20);

    public LimitsConfig {
        if (maxHeaderBytes < 1024
                || maxUriLength < 64
                || maxBodyBytes < 0
                || maxConnections < 1
                || maxInspectedBodyBytes < 1) {
            throw new IllegalArgumentException("limits out of range");
        }
    }
}
