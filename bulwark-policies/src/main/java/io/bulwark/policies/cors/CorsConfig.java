package io.bulwark.policies.cors;

import static java.util.Objects.requireNonNull;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Validated CORS settings.
 *
 * @param allowOrigins exact origins ({@code https://app.example.com}), subdomain wildcards
 *     ({@code https://*.example.com}) or {@code *}
 * @param allowMethods methods a cross-origin request may use
 * @param allowHeaders request headers a cross-origin request may send (lower case)
 * @param exposeHeaders response headers the browser may show to scripts
 * @param allowCredentials whether cookies and authorization may be sent; never together with {@code *}
 * @param maxAge how long a browser may cache a preflight answer
 */
record CorsConfig(
        List<String> allowOrigins,
        Set<String> allowMethods,
        Set<String> allowHeaders,
        List<String> exposeHeaders,
        boolean allowCredentials,
        Duration maxAge) {
    CorsConfig {
        requireNonNull(maxAge, "maxAge");
        allowOrigins = List.copyOf(allowOrigins);
        allowMethods = Set.copyOf(allowMethods);
        allowHeaders = Set.copyOf(allowHeaders);
        exposeHeaders = List.copyOf(exposeHeaders);
        if (allowOrigins.isEmpty()) {
            throw new IllegalArgumentException("allowOrigins: [] (expected: at least one origin)");
        }
        if (allowCredentials && allowOrigins.contains("*")) {
            throw new IllegalArgumentException(
                    "allowOrigins: * (expected: explicit origins when credentials are allowed)");
        }
    }
}
