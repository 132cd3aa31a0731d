package io.bulwark.gateway.config;

import static java.util.Objects.requireNonNull;

import io.bulwark.api.Policy;
import java.util.List;

/**
 * A route: which requests it takes and what happens to them.
 *
 * @param id a unique id, used in logs and metrics
 * @param hosts host patterns: {@code api.example.com}, {@code *.example.com} or {@code *}
 * @param pathPrefix a path prefix matched on whole segments ({@code /api} takes {@code /api/x}, not {@code /apix})
 * @param upstream the upstream name
 * @param isPublic true when the route deliberately has no authentication
 * @param stripPrefix whether the prefix is removed from the path sent upstream
 * @param preserveHost whether the client's Host header is kept (otherwise the target's host is sent)
 * @param hideUpstreamErrors whether upstream 5xx bodies are replaced by a generic problem document
 * @param policies the built policies, in config order
 * @param policyNames the config names of the policies, in the same order
 * @param openapi the route's OpenAPI document, compiled, or null
 */
public record RouteConfig(
        String id,
        List<String> hosts,
        String pathPrefix,
        String upstream,
        boolean isPublic,
        boolean stripPrefix,
        boolean preserveHost,
        boolean hideUpstreamErrors,
        List<Policy> policies,
        List<String> policyNames,
        RouteOpenApi openapi) {
    public RouteConfig {
        requireNonNull(id, "id");
        requireNonNull(pathPrefix, "pathPrefix");
        requireNonNull(upstream, "upstream");
        hosts = List.copyOf(hosts);
        policies = List.copyOf(policies);
        policyNames = List.copyOf(policyNames);
        if (!pathPrefix.startsWith("/")) {
            throw new IllegalArgumentException("pathPrefix: " + pathPrefix + " (expected: starts with /)");
        }
    }
}
