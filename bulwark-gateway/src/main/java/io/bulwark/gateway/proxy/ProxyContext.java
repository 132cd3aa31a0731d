package io.bulwark.gateway.proxy;

import io.bulwark.gateway.GatewayRuntime;
import io.bulwark.gateway.config.ListenerConfig;
import io.bulwark.gateway.observe.EventDispatcher;
import io.bulwark.gateway.observe.GatewayMetrics;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * What every exchange on one listener shares.
 *
 * @param listener the listener config
 * @param runtime the current runtime (swapped on reload)
 * @param metrics the metrics
 * @param events the traffic event dispatcher
 * @param inFlight requests being handled, for graceful shutdown
 * @param draining set when shutdown began: responses then carry {@code Connection: close}
 */
public record ProxyContext(
        ListenerConfig listener,
        Supplier<GatewayRuntime> runtime,
        GatewayMetrics metrics,
        EventDispatcher events,
        AtomicInteger inFlight,
        AtomicBoolean draining) {}
