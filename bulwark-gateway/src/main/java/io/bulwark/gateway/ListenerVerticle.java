package io.bulwark.gateway;

import io.bulwark.gateway.config.ClientAuthConfig;
import io.bulwark.gateway.config.LimitsConfig;
import io.bulwark.gateway.config.ListenerConfig;
import io.bulwark.gateway.config.TlsConfig;
import io.bulwark.gateway.proxy.ProxyContext;
import io.bulwark.gateway.proxy.ProxyHandler;
import io.bulwark.gateway.proxy.RedirectHandler;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/** One event loop's server for one listener. The gateway deploys one instance per core; they share the port. */
final class ListenerVerticle extends VerticleBase {
    private final ProxyContext ctx;
    private final LimitsConfig limits;
    private final int port;
    private final AtomicInteger open;
    private final Consumer<HttpServer> onListen;

    ListenerVerticle(
            ProxyContext ctx, LimitsConfig limits, int port, AtomicInteger open, Consumer<HttpServer> onListen) {
        this.ctx = ctx;
        this.limits = limits;
        this.port = port;
        this.open = open;
        this.onListen = onListen;
    }

    @Override
    public Future<?> start() {
        ListenerConfig l = ctx.listener();
        HttpServerOptions options = serverOptions(l, limits);
        HttpServer server = vertx.createHttpServer(options);
        int maxConnections = limits.maxConnections();
        server.connectionHandler(conn -> {
            if (open.incrementAndGet() > maxConnections) {
                // Refuse at accept: a flood of idle connections must not exhaust the node.
                open.decrementAndGet();
                conn.close();
                return;
            }
            conn.closeHandler(v -> open.decrementAndGet());
        });
        if (l.protocol() == ListenerConfig.Protocol.REDIRECT) {
            server.requestHandler(new RedirectHandler(l));
        } else {
            ProxyHandler handler = new ProxyHandler(ctx);
            server.requestHandler(handler);
            server.invalidRequestHandler(handler::handleInvalid);
        }
        return server.listen(port, l.host()).onSuccess(onListen::accept);
    }

    static HttpServerOptions serverOptions(ListenerConfig l, LimitsConfig limits) {
        HttpServerOptions o = new HttpServerOptions()
                .setMaxHeaderSize(limits.maxHeaderBytes())
                // the request line is method + target + version: leave room beyond the URI limit
                .setMaxInitialLineLength(limits.maxUriLength() + 64)
                .setIdleTimeout((int) limits.idleTimeout().toMillis())
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setTcpNoDelay(true)
                .setReuseAddress(true)
                .setCompressionSupported(false)
                .setDecompressionSupported(false)
                .setHandle100ContinueAutomatically(false)
                // No cleartext HTTP/2 upgrade (h2c): it is a known way to smuggle requests past a proxy's checks.
                .setHttp2ClearTextEnabled(false)
                .setInitialSettings(new Http2Settings()
                        .setMaxHeaderListSize(limits.maxHeaderBytes())
                        .setMaxConcurrentStreams(256));
        if (l.protocol() == ListenerConfig.Protocol.HTTPS) {
            TlsConfig tls = l.tls();
            o.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setCertPath(tls.certificate().toString())
                            .setKeyPath(tls.key().toString()))
                    .setEnabledSecureTransportProtocols(new LinkedHashSet<>(tls.protocols()))
                    .setSslHandshakeTimeout(10)
                    .setSslHandshakeTimeoutUnit(TimeUnit.SECONDS)
                    .setUseAlpn(tls.http2())
                    .setAlpnVersions(
                            tls.http2()
                                    ? List.of(HttpVersion.HTTP_2, HttpVersion.HTTP_1_1)
                                    : List.of(HttpVersion.HTTP_1_1));
            ClientAuthConfig ca = tls.clientAuth();
            if (ca != null) {
                // REQUEST still verifies a certificate that is sent: a bad one fails the handshake.
                o.setClientAuth(ca.mode() == ClientAuthConfig.Mode.REQUIRED ? ClientAuth.REQUIRED : ClientAuth.REQUEST)
                        .setTrustOptions(
                                new PemTrustOptions().addCertPath(ca.trustedCa().toString()));
                if (ca.crl() != null) {
                    // Vert.x checks every certificate of the presented chain against the CRLs during the handshake.
                    o.addCrlPath(ca.crl().toString());
                }
            }
        }
        return o;
    }
}
