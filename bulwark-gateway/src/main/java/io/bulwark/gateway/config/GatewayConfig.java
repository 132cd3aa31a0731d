package io.bulwark.gateway.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A validated gateway configuration. Built only by {@link ConfigLoader}; every record checks its own invariants.
 *
 * @param source the config file, or null for config built in code
 * @param listeners where the gateway accepts connections
 * @param limits request limits shared by all listeners
 * @param trustedProxies CIDRs of proxies whose forwarding headers are believed
 * @param upstreams upstream services by name
 * @param routes routes in config order
 * @param admin the admin listener
 * @param accessLog access log settings
 * @param eventQueueSize the capacity of the traffic event queue
 * @param drainTimeout how long shutdown waits for in-flight requests
 * @param environment the environment this gateway serves ({@code prod}, {@code staging}, ...), or null
 * @param warnings non-fatal findings, shown by {@code bulwark check} and logged at start
 */
public record GatewayConfig(
        Path source,
        List<ListenerConfig> listeners,
        LimitsConfig limits,
        List<String> trustedProxies,
        Map<String, UpstreamConfig> upstreams,
        List<RouteConfig> routes,
        AdminConfig admin,
        AccessLogConfig accessLog,
        int eventQueueSize,
        Duration drainTimeout,
        List<String> warnings,
        String environment) {
    public GatewayConfig {
        listeners = List.copyOf(listeners);
        trustedProxies = List.copyOf(trustedProxies);
        upstreams = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(upstreams));
        routes = List.copyOf(routes);
        warnings = List.copyOf(warnings);
        if (eventQueueSize < 1) {
            throw new IllegalArgumentException("eventQueueSize: " + eventQueueSize + " (expected: > 0)");
        }
    }
}
