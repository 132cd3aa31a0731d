package io.bulwark.policies.auth.jwt;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import io.bulwark.policies.auth.EnvironmentCheck;
import io.bulwark.policies.auth.TokenSource;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Validated settings of the {@code jwt} policy.
 *
 * @param keys the local public keys only (may be empty when remote keys are configured)
 * @param algorithms the allowed signature algorithms (asymmetric only)
 * @param issuer the exact expected {@code iss}
 * @param audiences accepted {@code aud} values; a token needs one of them
 * @param clockSkew tolerance applied to {@code exp}, {@code nbf} and {@code iat}
 * @param maxLifetime the longest accepted token lifetime, or null for no limit
 * @param requiredClaims claims every token must carry
 * @param consumerClaim the claim that names the consumer; {@code sub} when absent from a token
 * @param tokenSource where the token is read from
 * @param maxTokenBytes tokens longer than this are refused before parsing
 * @param cacheSize how many verified tokens to remember; 0 disables the cache
 * @param environment which tokens the gateway's environment accepts
 * @param certificateBinding how RFC 8705 certificate-bound tokens ({@code cnf.x5t#S256}) are enforced
 */
record JwtConfig(
        List<JWK> keys,
        Set<JWSAlgorithm> algorithms,
        String issuer,
        Set<String> audiences,
        Duration clockSkew,
        Duration maxLifetime,
        List<String> requiredClaims,
        String consumerClaim,
        TokenSource tokenSource,
        int maxTokenBytes,
        int cacheSize,
        EnvironmentCheck environment,
        CertificateBinding certificateBinding) {
    static final int MAX_TOKEN_BYTES = 64 * 1024;

    JwtConfig {
        keys = List.copyOf(keys);
        algorithms = Set.copyOf(algorithms);
        requireNonNull(issuer, "issuer");
        audiences = Set.copyOf(audiences);
        requireNonNull(clockSkew, "clockSkew");
        requiredClaims = List.copyOf(requiredClaims);
        requireNonNull(consumerClaim, "consumerClaim");
        requireNonNull(tokenSource, "tokenSource");
        requireNonNull(environment, "environment");
        requireNonNull(certificateBinding, "certificateBinding");
        for (JWK k : keys) {
            if (k.isPrivate()) {
                throw new IllegalArgumentException("keys: a private key (expected: public keys only)");
            }
        }
        if (algorithms.isEmpty()) {
            throw new IllegalArgumentException("algorithms: [] (expected: at least one)");
        }
        if (issuer.isBlank()) {
            throw new IllegalArgumentException("issuer: blank (expected: a non-empty string)");
        }
        if (audiences.isEmpty()) {
            throw new IllegalArgumentException("audiences: [] (expected: at least one)");
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException("clockSkew: " + clockSkew + " (expected: 0..5m)");
        }
        if (maxLifetime != null && !maxLifetime.isPositive()) {
            throw new IllegalArgumentException("maxLifetime: " + maxLifetime + " (expected: > 0)");
        }
        if (maxTokenBytes < 1 || maxTokenBytes > MAX_TOKEN_BYTES) {
            throw new IllegalArgumentException(
                    "maxTokenBytes: " + maxTokenBytes + " (expected: 1.." + MAX_TOKEN_BYTES + ")");
        }
        if (cacheSize < 0) {
            throw new IllegalArgumentException("cacheSize: " + cacheSize + " (expected: >= 0)");
        }
    }

    /** RFC 8705 section 3: whether a token must be, or when bound must be used with, its client certificate. */
    enum CertificateBinding {
        /** Every token must carry {@code cnf.x5t#S256} matching the client certificate. */
        REQUIRED,
        /** A token that carries {@code cnf.x5t#S256} must come with the matching client certificate. */
        IF_PRESENT,
        /** The binding is not checked (the token is trusted as a plain bearer token). */
        OFF
    }
}
