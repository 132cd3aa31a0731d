package io.bulwark.gateway;

import io.bulwark.gateway.chain.PolicyChain;
import io.bulwark.gateway.config.GatewayConfig;
import io.bulwark.gateway.config.RouteConfig;
import io.bulwark.gateway.config.UpstreamConfig;
import io.bulwark.gateway.proxy.ClientIpResolver;
import io.bulwark.gateway.routing.Router;
import io.bulwark.gateway.upstream.Upstream;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything built from one config: the router, the compiled chains, the upstream clients. A reload builds a new
 * runtime beside the running one and swaps it in; requests keep the runtime they started with.
 */
public final class GatewayRuntime {
    private final GatewayConfig config;
    private final Router<CompiledRoute> router;
    private final Map<String, Upstream> upstreams;
    private final ClientIpResolver clientIps;

    /** A route ready to serve. */
    public record CompiledRoute(RouteConfig config, PolicyChain chain, Upstream upstream) {}

    private GatewayRuntime(
            GatewayConfig config, Router<CompiledRoute> router, Map<String, Upstream> upstreams, ClientIpResolver ips) {
        this.config = config;
        this.router = router;
        this.upstreams = upstreams;
        this.clientIps = ips;
    }

    public static GatewayRuntime build(Vertx vertx, GatewayConfig config) {
        Map<String, Upstream> upstreams = new HashMap<>();
        for (Map.Entry<String, UpstreamConfig> e : config.upstreams().entrySet()) {
            upstreams.put(e.getKey(), new Upstream(vertx, e.getValue()));
        }
        Router.Builder<CompiledRoute> builder = Router.builder();
        for (RouteConfig r : config.routes()) {
            CompiledRoute compiled = new CompiledRoute(r, PolicyChain.of(r.policies()), upstreams.get(r.upstream()));
            for (String host : r.hosts()) {
                builder.add(host, r.pathPrefix(), compiled);
            }
        }
        return new GatewayRuntime(
                config, builder.build(), Map.copyOf(upstreams), new ClientIpResolver(config.trustedProxies()));
    }

    public GatewayConfig config() {
        return config;
    }

    public Router<CompiledRoute> router() {
        return router;
    }

    public ClientIpResolver clientIps() {
        return clientIps;
    }

    /** Closes the upstream clients (their pooled connections). */
    public Future<Void> close() {
        List<Future<Void>> closing = new ArrayList<>();
        for (Upstream u : upstreams.values()) {
            closing.add(u.close());
        }
        return Future.all(closing).mapEmpty();
    }
}
