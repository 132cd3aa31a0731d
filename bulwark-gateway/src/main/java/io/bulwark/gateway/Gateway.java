package io.bulwark.gateway;

import static java.util.Objects.requireNonNull;

import io.bulwark.api.config.ConfigError;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.Location;
import io.bulwark.gateway.admin.AdminServer;
import io.bulwark.gateway.config.GatewayConfig;
import io.bulwark.gateway.config.ListenerConfig;
import io.bulwark.gateway.observe.AccessLogWriter;
import io.bulwark.gateway.observe.EventDispatcher;
import io.bulwark.gateway.observe.GatewayMetrics;
import io.bulwark.gateway.proxy.ProxyContext;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.ThreadingModel;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running gateway: listeners, admin server, the current runtime, metrics and the event pipeline.
 *
 * <pre>{@code
 * Gateway gw = Gateway.start(vertx, config, () -> loader.load(path)).toCompletionStage().toCompletableFuture().join();
 * gw.reload();      // re-reads the file; an invalid file leaves the running config untouched
 * gw.shutdown();    // stop accepting, drain in-flight requests, close
 * }</pre>
 */
public final class Gateway {
    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);

    private final Vertx vertx;
    private final Callable<GatewayConfig> source;
    private final AtomicReference<GatewayRuntime> runtime;
    private final GatewayMetrics metrics;
    private final EventDispatcher events;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> ports = new ConcurrentHashMap<>();
    private final AtomicBoolean reloading = new AtomicBoolean();
    private AdminServer admin;

    private Gateway(Vertx vertx, GatewayConfig config, Callable<GatewayConfig> source) {
        this.vertx = vertx;
        this.source = source;
        this.metrics = new GatewayMetrics();
        this.events = new EventDispatcher(config.eventQueueSize(), metrics.droppedEvents());
        // Events flow whether or not the access log is on: analysers consume them too.
        if (config.accessLog().enabled()) {
            events.addListener(AccessLogWriter.open(config.accessLog().file()));
        }
        this.runtime = new AtomicReference<>(GatewayRuntime.build(vertx, config));
    }

    /**
     * Starts every listener and the admin server.
     *
     * @param source re-reads the config on reload (runs on a worker thread); null disables reload
     */
    public static Future<Gateway> start(Vertx vertx, GatewayConfig config, Callable<GatewayConfig> source) {
        requireNonNull(vertx, "vertx");
        requireNonNull(config, "config");
        Gateway gw;
        try {
            gw = new Gateway(vertx, config, source);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
        config.warnings().forEach(w -> LOG.warn("config: {}", w));
        return gw.startListeners(config)
                .compose(v -> gw.startAdmin(config))
                .map(gw)
                .onFailure(e -> gw.shutdown(Duration.ZERO));
    }

    private Future<Void> startListeners(GatewayConfig config) {
        int instances = Math.max(1, Runtime.getRuntime().availableProcessors());
        Future<Void> chain = Future.succeededFuture();
        List<ListenerConfig> listeners = config.listeners();
        for (int i = 0; i < listeners.size(); i++) {
            ListenerConfig l = listeners.get(i);
            // Vert.x shares a random port between servers only when they ask for the same negative port.
            int bindPort = l.port() == 0 ? -(i + 1) : l.port();
            chain = chain.compose(v -> startListener(l, bindPort, config, instances));
        }
        return chain;
    }

    /** One server per event loop, all on the same port; Vert.x spreads connections over them. */
    private Future<Void> startListener(ListenerConfig l, int bindPort, GatewayConfig config, int instances) {
        ProxyContext ctx = new ProxyContext(l, runtime::get, metrics, events, inFlight, draining);
        AtomicInteger open = metrics.openConnections(l.name());
        return vertx.deployVerticle(
                        () -> new ListenerVerticle(ctx, config.limits(), bindPort, open, server -> {
                            servers.add(server);
                            ports.put(l.name(), server.actualPort());
                        }),
                        new DeploymentOptions()
                                .setThreadingModel(ThreadingModel.EVENT_LOOP)
                                .setInstances(instances))
                .map(id -> {
                    LOG.info(
                            "listener {} ({}) on {}:{}",
                            l.name(),
                            l.protocol().name().toLowerCase(java.util.Locale.ROOT),
                            l.host(),
                            ports.get(l.name()));
                    return null;
                });
    }

    private Future<Void> startAdmin(GatewayConfig config) {
        if (!config.admin().enabled()) {
            return Future.succeededFuture();
        }
        admin = new AdminServer(vertx, this, config.admin());
        return admin.start()
                .onSuccess(port -> LOG.info("admin on {}:{}", config.admin().host(), port))
                .mapEmpty();
    }

    /** The port a listener is bound to. */
    public int port(String listenerName) {
        Integer p = ports.get(listenerName);
        if (p == null) {
            throw new IllegalArgumentException(
                    "listener: " + listenerName + " (expected: one of " + ports.keySet() + ")");
        }
        return p;
    }

    /** The admin port, or -1 when the admin listener is disabled. */
    public int adminPort() {
        return admin == null ? -1 : admin.port();
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    public GatewayConfig config() {
        return runtime.get().config();
    }

    public EventDispatcher events() {
        return events;
    }

    /** Whether the gateway accepts traffic (false while draining). */
    public boolean isReady() {
        return !draining.get() && !servers.isEmpty();
    }

    /** Requests being handled now. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Re-reads the config and swaps it in atomically. An invalid file is refused: the running config keeps
     * serving and the errors are returned (and logged). In-flight requests finish on the runtime they started with.
     */
    public Future<ReloadResult> reload() {
        if (source == null) {
            return Future.succeededFuture(new ReloadResult(
                    false,
                    List.of(new ConfigError(
                            new Location("<none>", 0, 0), "", "no config file", "a gateway started from a file")),
                    List.of(),
                    runtime.get().config().routes().size()));
        }
        if (!reloading.compareAndSet(false, true)) {
            return Future.succeededFuture(new ReloadResult(
                    false,
                    List.of(new ConfigError(
                            new Location("<reload>", 0, 0), "", "a reload in progress", "one reload at a time")),
                    List.of(),
                    runtime.get().config().routes().size()));
        }
        return vertx.executeBlocking(source::call, false).transform(ar -> {
            try {
                if (ar.failed()) {
                    Throwable e = ar.cause();
                    List<ConfigError> errors = e instanceof ConfigException ce
                            ? ce.errors()
                            : List.of(new ConfigError(
                                    new Location("<reload>", 0, 0),
                                    "",
                                    String.valueOf(e.getMessage()),
                                    "a loadable config"));
                    metrics.reload(false);
                    errors.forEach(err -> LOG.error("reload refused: {}", err.message()));
                    return Future.succeededFuture(new ReloadResult(
                            false,
                            errors,
                            List.of(),
                            runtime.get().config().routes().size()));
                }
                GatewayConfig next = ar.result();
                GatewayRuntime fresh = GatewayRuntime.build(vertx, next);
                GatewayRuntime old = runtime.getAndSet(fresh);
                List<String> warnings = new ArrayList<>(next.warnings());
                warnings.addAll(restartOnly(old.config(), next));
                metrics.reload(true);
                warnings.forEach(w -> LOG.warn("config: {}", w));
                LOG.info("config reloaded: {} routes", next.routes().size());
                // Old upstream pools close once requests that started on them had time to finish.
                long grace = Math.max(1000, old.config().drainTimeout().toMillis());
                vertx.setTimer(grace, id -> old.close());
                return Future.succeededFuture(new ReloadResult(
                        true, List.of(), warnings, next.routes().size()));
            } finally {
                reloading.set(false);
            }
        });
    }

    /** Settings bound to sockets and threads: a reload cannot change them, so say so. */
    private static List<String> restartOnly(GatewayConfig old, GatewayConfig next) {
        List<String> out = new ArrayList<>();
        if (!old.listeners().equals(next.listeners())) {
            out.add("listeners changed: restart to apply");
        }
        if (!Objects.equals(old.admin(), next.admin())) {
            out.add("admin changed: restart to apply");
        }
        if (!Objects.equals(old.accessLog().file(), next.accessLog().file())
                || old.accessLog().enabled() != next.accessLog().enabled()) {
            out.add("access_log.output and access_log.enabled apply on restart");
        }
        var a = old.limits();
        var b = next.limits();
        if (a.maxHeaderBytes() != b.maxHeaderBytes()
                || a.idleTimeout().equals(b.idleTimeout()) == false
                || a.maxConnections() != b.maxConnections()
                || b.maxUriLength() > a.maxUriLength()) {
            out.add("limits.max_header_bytes, idle_timeout, max_connections and a larger max_uri_length apply on"
                    + " restart");
        }
        if (old.eventQueueSize() != next.eventQueueSize()) {
            out.add("event_queue_size changed: restart to apply");
        }
        return out;
    }

    /** Graceful shutdown with the configured drain timeout. */
    public Future<Void> shutdown() {
        return shutdown(runtime.get().config().drainTimeout());
    }

    /**
     * Stops accepting connections, lets in-flight requests finish for up to {@code drain}, then closes everything.
     */
    public Future<Void> shutdown(Duration drain) {
        if (!draining.compareAndSet(false, true)) {
            return Future.succeededFuture();
        }
        LOG.info("shutting down: draining {} in-flight requests for up to {} ms", inFlight.get(), drain.toMillis());
        List<Future<Void>> closing = new ArrayList<>();
        for (HttpServer s : servers) {
            closing.add(s.shutdown(drain.toMillis(), TimeUnit.MILLISECONDS));
        }
        Promise<Void> done = Promise.promise();
        Future.join(closing).onComplete(ar -> {
            List<Future<?>> rest = new ArrayList<>();
            if (admin != null) {
                rest.add(admin.close());
            }
            rest.add(runtime.get().close());
            Future.join(rest).onComplete(x -> {
                vertx.executeBlocking(() -> {
                            events.close();
                            return null;
                        })
                        .onComplete(y -> {
                            LOG.info("shutdown complete");
                            done.complete();
                        });
            });
        });
        return done.future();
    }
}
