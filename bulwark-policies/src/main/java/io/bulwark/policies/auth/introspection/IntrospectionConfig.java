package io.bulwark.policies.auth.introspection;

import static java.util.Objects.requireNonNull;

import io.bulwark.policies.auth.EnvironmentCheck;
import io.bulwark.policies.auth.RemoteUrls;
import io.bulwark.policies.auth.TokenSource;
import java.net.URI;
import java.time.Duration;
import java.util.Set;

/**
 * Validated settings of the {@code introspection} policy.
 *
 * @param endpoint the RFC 7662 introspection endpoint (https, or http to a loopback host)
 * @param clientId the gateway's client id at the authorization server
 * @param clientSecret the gateway's client secret; never logged, never shown (see {@link #toString})
 * @param clientAuth how the gateway authenticates its introspection calls
 * @param tokenSource where the token is read from
 * @param timeout the longest wait for one introspection call, connection and body included
 * @param maxEntries how many introspection results to remember; 0 disables the cache
 * @param maxTtl the longest time an active result is used without asking again
 * @param inactiveTtl how long a refused token is remembered (so a flood of bad tokens cannot hammer the server)
 * @param maxConcurrent the most introspection calls in flight at once; more answer 503
 * @param issuer the exact expected {@code iss} of the response, or null for no check
 * @param audiences accepted {@code aud} values (one is needed), or empty for no check
 * @param consumerClaim the response member that names the consumer; {@code sub} when absent
 * @param environment which tokens the gateway's environment accepts
 * @param maxResponseBytes the largest introspection response read
 */
record IntrospectionConfig(
        URI endpoint,
        String clientId,
        String clientSecret,
        ClientAuth clientAuth,
        TokenSource tokenSource,
        Duration timeout,
        int maxEntries,
        Duration maxTtl,
        Duration inactiveTtl,
        int maxConcurrent,
        String issuer,
        Set<String> audiences,
        String consumerClaim,
        EnvironmentCheck environment,
        long maxResponseBytes) {
    static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MAX_TTL_CEILING = Duration.ofHours(1);
    static final Duration MAX_INACTIVE_TTL = Duration.ofMinutes(5);
    static final int MAX_ENTRIES = 1_000_000;
    static final int MAX_CONCURRENT = 10_000;
    static final long MIN_RESPONSE_BYTES = 1024;
    static final long MAX_RESPONSE_BYTES = 1024 * 1024;

    /** RFC 6749 §2.3.1 client authentication methods. */
    enum ClientAuth {
        /** {@code Authorization: Basic} with the form-encoded id and secret. */
        CLIENT_SECRET_BASIC,
        /** {@code client_id} and {@code client_secret} in the form body. */
        CLIENT_SECRET_POST
    }

    IntrospectionConfig {
        requireNonNull(endpoint, "endpoint");
        requireNonNull(clientId, "clientId");
        requireNonNull(clientSecret, "clientSecret");
        requireNonNull(clientAuth, "clientAuth");
        requireNonNull(tokenSource, "tokenSource");
        requireNonNull(timeout, "timeout");
        requireNonNull(maxTtl, "maxTtl");
        requireNonNull(inactiveTtl, "inactiveTtl");
        audiences = Set.copyOf(audiences);
        requireNonNull(consumerClaim, "consumerClaim");
        requireNonNull(environment, "environment");
        // Re-checked here so that a config built in code obeys the same rule as one read from a file.
        RemoteUrls.remoteUri(endpoint.toString());
        if (clientId.isBlank()) {
            throw new IllegalArgumentException("clientId: blank (expected: a non-empty string)");
        }
        if (clientSecret.isEmpty()) {
            throw new IllegalArgumentException("clientSecret: empty (expected: a non-empty string)");
        }
        if (timeout.compareTo(MIN_TIMEOUT) < 0 || timeout.compareTo(MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: 100ms..30s)");
        }
        if (maxEntries < 0 || maxEntries > MAX_ENTRIES) {
            throw new IllegalArgumentException("maxEntries: " + maxEntries + " (expected: 0.." + MAX_ENTRIES + ")");
        }
        if (!maxTtl.isPositive() || maxTtl.compareTo(MAX_TTL_CEILING) > 0) {
            throw new IllegalArgumentException("maxTtl: " + maxTtl + " (expected: > 0 and <= 1h)");
        }
        if (inactiveTtl.isNegative() || inactiveTtl.compareTo(MAX_INACTIVE_TTL) > 0) {
            throw new IllegalArgumentException("inactiveTtl: " + inactiveTtl + " (expected: 0..5m)");
        }
        if (maxConcurrent < 1 || maxConcurrent > MAX_CONCURRENT) {
            throw new IllegalArgumentException(
                    "maxConcurrent: " + maxConcurrent + " (expected: 1.." + MAX_CONCURRENT + ")");
        }
        if (issuer != null && issuer.isBlank()) {
            throw new IllegalArgumentException("issuer: blank (expected: null or a non-empty string)");
        }
        if (consumerClaim.isBlank()) {
            throw new IllegalArgumentException("consumerClaim: blank (expected: a claim name)");
        }
        if (maxResponseBytes < MIN_RESPONSE_BYTES || maxResponseBytes > MAX_RESPONSE_BYTES) {
            throw new IllegalArgumentException("maxResponseBytes: " + maxResponseBytes + " (expected: "
                    + MIN_RESPONSE_BYTES + ".." + MAX_RESPONSE_BYTES + ")");
        }
    }

    /** Never prints the secret: records print every component by default. */
    @Override
    public String toString() {
        return "IntrospectionConfig[endpoint=" + endpoint + ", clientId=" + clientId + ", clientSecret=***"
                + ", clientAuth=" + clientAuth + ", timeout=" + timeout + ", maxEntries=" + maxEntries + ", maxTtl="
                + maxTtl + ", inactiveTtl=" + inactiveTtl + ", maxConcurrent=" + maxConcurrent + "]";
    }
}
