package io.bulwark.gateway.observe;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's Prometheus metrics. Meters are looked up once per label combination and cached; every label comes
 * from a bounded set (route ids and error keys from config and code, methods folded to a fixed list), so a client
 * cannot grow the registry.
 */
public final class GatewayMetrics {
    private static final Set<String> METHODS =
            Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE", "CONNECT");
    private static final String[] STATUS_CLASSES = {"0xx", "1xx", "2xx", "3xx", "4xx", "5xx"};
    private static final Duration[] SLOS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10)
    };

    private final PrometheusMeterRegistry registry;
    private final ConcurrentMap<String, Counter> requests = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> latency = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> upstreamLatency = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> rejections = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> monitored = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, AtomicInteger> connections = new ConcurrentHashMap<>();
    private final Counter droppedEvents;

    public GatewayMetrics() {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        this.droppedEvents = Counter.builder("bulwark.events.dropped")
                .description("Traffic events dropped because the event queue was full")
                .register(registry);
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public Counter droppedEvents() {
        return droppedEvents;
    }

    /** Counts a finished request and its latency. */
    public void request(String route, String method, int status, long durationNanos) {
        String r = route == null ? "none" : route;
        String m = METHODS.contains(method) ? method : "OTHER";
        String cls = STATUS_CLASSES[Math.min(5, Math.max(0, status / 100))];
        requests.computeIfAbsent(
                        r + '\0' + m + '\0' + cls,
                        k -> Counter.builder("bulwark.requests")
                                .description("Requests by route, method and status class")
                                .tag("route", r)
                                .tag("method", m)
                                .tag("status_class", cls)
                                .register(registry))
                .increment();
        latency.computeIfAbsent(
                        r,
                        k -> Timer.builder("bulwark.request.duration")
                                .description("Time from request arrival to the last response byte")
                                .tag("route", r)
                                .serviceLevelObjectives(SLOS)
                                .register(registry))
                .record(durationNanos, TimeUnit.NANOSECONDS);
    }

    /** Time from sending the request upstream to the upstream's response headers. */
    public void upstream(String upstream, long nanos) {
        upstreamLatency
                .computeIfAbsent(
                        upstream,
                        k -> Timer.builder("bulwark.upstream.duration")
                                .description("Time to the upstream's response headers")
                                .tag("upstream", upstream)
                                .serviceLevelObjectives(SLOS)
                                .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** Counts a request the gateway answered with a problem. */
    public void rejection(String errorKey) {
        rejections
                .computeIfAbsent(
                        errorKey,
                        k -> Counter.builder("bulwark.rejections")
                                .description("Requests answered with a problem, by error key")
                                .tag("error_key", k)
                                .register(registry))
                .increment();
    }

    /** A request a policy in monitor mode would have rejected with this key (the key set is bounded: constants). */
    public void monitored(String route, String errorKey) {
        String r = route == null ? "none" : route;
        monitored
                .computeIfAbsent(
                        r + '\0' + errorKey,
                        k -> Counter.builder("bulwark.monitored")
                                .description(
                                        "Violations let through by policies in monitor mode, by route and error key")
                                .tag("route", r)
                                .tag("error_key", errorKey)
                                .register(registry))
                .increment();
    }

    /** The open-connections gauge of a listener. */
    public AtomicInteger openConnections(String listener) {
        return connections.computeIfAbsent(listener, l -> {
            AtomicInteger n = new AtomicInteger();
            io.micrometer.core.instrument.Gauge.builder("bulwark.connections.open", n, AtomicInteger::get)
                    .description("Open client connections")
                    .tag("listener", l)
                    .register(registry);
            return n;
        });
    }

    public void reload(boolean success) {
        registry.counter("bulwark.config.reloads", "result", success ? "success" : "failure")
                .increment();
    }

    /** The Prometheus text exposition. */
    public String scrape() {
        return registry.scrape();
    }
}
