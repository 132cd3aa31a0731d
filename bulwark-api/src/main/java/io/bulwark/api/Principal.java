package io.bulwark.api;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The authenticated caller, published by an authentication policy under {@link Attributes#PRINCIPAL} for the
 * policies after it, the access log and traffic events. Never holds the credential itself.
 *
 * @param consumerId the stable id of the consumer (application or user) used for limits, logs and analytics
 * @param subject the subject the credential names (the JWT {@code sub}, a certificate subject, ...)
 * @param scopes the granted scopes
 * @param claims the verified claims (for JWTs, the whole claim set; values are JSON types: String, Number,
 *     Boolean, List, Map)
 * @param authMethod how the caller authenticated: {@code jwt}, {@code introspection}, {@code api-key}, {@code mtls}
 * @param authTime when the user authenticated ({@code auth_time}), or null when unknown
 */
public record Principal(
        String consumerId,
        String subject,
        Set<String> scopes,
        Map<String, Object> claims,
        String authMethod,
        Instant authTime) {
    public Principal {
        requireNonNull(consumerId, "consumerId");
        requireNonNull(subject, "subject");
        requireNonNull(authMethod, "authMethod");
        scopes = Set.copyOf(scopes);
        claims = Map.copyOf(claims);
    }

    /** The authentication time, when the credential states one. */
    public Optional<Instant> authenticatedAt() {
        return Optional.ofNullable(authTime);
    }

    public boolean hasScope(String scope) {
        return scopes.contains(scope);
    }
}
