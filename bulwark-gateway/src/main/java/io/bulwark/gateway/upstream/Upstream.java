package io.bulwark.gateway.upstream;

import io.bulwark.gateway.config.UpstreamConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An upstream service: its targets, a keep-alive connection pool per target, round-robin selection and passive
 * health checks.
 */
public final class Upstream {
    private static final Logger LOG = LoggerFactory.getLogger(Upstream.class);

    private final UpstreamConfig config;
    private final Target[] targets;
    private final HttpClient client;
    private final AtomicInteger next = new AtomicInteger();
    private final long ejectForNanos;

    public Upstream(Vertx vertx, UpstreamConfig config) {
        this.config = config;
        List<Target> list = new ArrayList<>();
        for (URI u : config.targets()) {
            list.add(new Target(u));
        }
        this.targets = list.toArray(Target[]::new);
        this.ejectForNanos = config.ejectFor().toNanos();
        HttpClientOptions options = new HttpClientOptions()
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setConnectTimeout((int)
                        Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) config.keepAliveTimeout().toSeconds())
                .setDecompressionSupported(false)
                .setVerifyHost(config.verifyHostname())
                .setTcpNoDelay(true)
                .setMaxInitialLineLength(8192)
                .setMaxHeaderSize(64 * 1024);
        if (config.trustedCa() != null) {
            options.setTrustOptions(
                    new PemTrustOptions().addCertPath(config.trustedCa().toString()));
        }
        PoolOptions pool = new PoolOptions()
                .setHttp1MaxSize(config.maxConnectionsPerTarget())
                .setMaxWaitQueueSize(config.maxConnectionsPerTarget() * 16);
        this.client = vertx.httpClientBuilder().with(options).with(pool).build();
    }

    public UpstreamConfig config() {
        return config;
    }

    public HttpClient client() {
        return client;
    }

    public String name() {
        return config.name();
    }

    /**
     * Picks the next healthy target, round robin. When every target is ejected, the one whose ejection ends first
     * is used anyway (panic mode): refusing all traffic would turn a partial outage into a full one.
     *
     * @param exclude a target to avoid (the one that just failed), or null
     */
    /** The path prefix of the first target ({@code ""} when none): where the upstream's API is rooted. */
    public String basePath() {
        return targets[0].basePath();
    }

    public Target pick(Target exclude) {
        long now = System.nanoTime();
        int n = targets.length;
        int start = Math.floorMod(next.getAndIncrement(), n);
        for (int i = 0; i < n; i++) {
            Target t = targets[(start + i) % n];
            if (t != exclude && !t.isEjected(now)) {
                return t;
            }
        }
        Target best = null;
        for (Target t : targets) {
            if (t != exclude && (best == null || t.ejectedUntil() - best.ejectedUntil() < 0)) {
                best = t;
            }
        }
        return best != null ? best : targets[start];
    }

    public int targetCount() {
        return targets.length;
    }

    public void success(Target t) {
        t.success();
    }

    public void failure(Target t) {
        if (t.failure(config.maxFailures(), ejectForNanos, System.nanoTime())) {
            LOG.warn(
                    "upstream {} target {} ejected for {} ms after {} consecutive failures",
                    config.name(),
                    t.label(),
                    config.ejectFor().toMillis(),
                    config.maxFailures());
        }
    }

    public Future<Void> close() {
        return client.close();
    }
}
