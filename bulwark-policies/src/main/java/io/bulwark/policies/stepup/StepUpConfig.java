package io.bulwark.policies.stepup;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The {@code step-up} settings.
 *
 * @param operations the sensitive operation ids (flagged in the spec or listed in config); ignored when {@code
 *     everyRequest}
 * @param everyRequest the route has no OpenAPI document: every request is sensitive
 * @param maxAge the longest time since the user authenticated, or null for no limit
 * @param acrValues the accepted {@code acr} claim values, in preference order; empty for any
 */
record StepUpConfig(Set<String> operations, boolean everyRequest, Duration maxAge, List<String> acrValues) {
    StepUpConfig {
        operations = Set.copyOf(operations);
        acrValues = List.copyOf(acrValues);
        if (maxAge == null && acrValues.isEmpty()) {
            throw new IllegalArgumentException("maxAge: null, acrValues: [] (expected: at least one of them)");
        }
        if (maxAge != null && (maxAge.isNegative() || maxAge.isZero())) {
            throw new IllegalArgumentException("maxAge: " + maxAge + " (expected: > 0)");
        }
    }
}
