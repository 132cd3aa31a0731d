package io.bulwark.gateway.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An upstream service.
 *
 * @param name the name routes refer to
 * @param targets base URLs of the instances ({@code http://10.0.0.5:8080}); requests are spread round robin
 * @param connectTimeout time to open a connection
 * @param responseTimeout time the upstream may stay silent while an answer is due (504 after it)
 * @param maxConnectionsPerTarget keep-alive pool size per target
 * @param keepAliveTimeout how long an idle pooled connection is kept
 * @param retries extra attempts on another target, for idempotent requests that failed before any byte was sent
 * @param maxFailures consecutive failures that eject a target
 * @param ejectFor how long an ejected target is left alone
 * @param trustedCa PEM CA bundle for HTTPS targets; null uses the JDK trust store
 * @param verifyHostname whether HTTPS targets must present a certificate for their host name
 */
public record UpstreamConfig(
        String name,
        List<URI> targets,
        Duration connectTimeout,
        Duration responseTimeout,
        int maxConnectionsPerTarget,
        Duration keepAliveTimeout,
        int retries,
        int maxFailures,
        Duration ejectFor,
        Path trustedCa,
        boolean verifyHostname) {
    public UpstreamConfig {
        requireNonNull(name, "name");
        targets = List.copyOf(targets);
        if (targets.isEmpty()) {
            throw new IllegalArgumentException("targets: [] (expected: at least one)");
        }
        if (retries < 0 || maxFailures < 1 || maxConnectionsPerTarget < 1) {
            throw new IllegalArgumentException("upstream " + name + ": counts out of range");
        }
    }
}
