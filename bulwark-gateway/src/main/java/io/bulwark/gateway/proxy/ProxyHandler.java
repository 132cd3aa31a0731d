package io.bulwark.gateway.proxy;

import io.bulwark.api.ErrorKey;
import io.bulwark.api.ErrorKeys;
import io.bulwark.gateway.http.Problems;
import io.bulwark.gateway.observe.TrafficEvent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;
import java.util.Map;

/** Entry points of a proxy listener: well-formed requests and requests the HTTP decoder refused. */
public final class ProxyHandler implements Handler<HttpServerRequest> {
    private final ProxyContext ctx;

    public ProxyHandler(ProxyContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void handle(HttpServerRequest request) {
        new ProxyExchange(ctx, request).start();
    }

    /**
     * Answers a request the decoder could not parse: 414 for an over-long request line, 431 for over-large
     * headers, 400 otherwise; always closes the connection, since the stream can no longer be trusted.
     */
    public void handleInvalid(HttpServerRequest request) {
        long start = System.nanoTime();
        Throwable cause = request.decoderResult().cause();
        ErrorKey key = cause instanceof TooLongHttpLineException
                ? ErrorKeys.URI_TOO_LONG
                : cause instanceof TooLongHttpHeaderException ? ErrorKeys.HEADERS_TOO_LARGE : ErrorKeys.BAD_REQUEST;
        String requestId = RequestIds.generate();
        Buffer body = Problems.render(key, key.status(), null, requestId);
        ctx.metrics().rejection(key.key());
        ctx.metrics().request(null, "OTHER", key.status(), System.nanoTime() - start);
        String peer = request.remoteAddress() == null
                ? "unknown"
                : request.remoteAddress().hostAddress();
        if (ctx.events().hasListeners()) {
            ctx.events()
                    .publish(new TrafficEvent(
                            System.currentTimeMillis(),
                            requestId,
                            null,
                            null,
                            "OTHER",
                            "",
                            key.status(),
                            (System.nanoTime() - start) / 1000,
                            0,
                            body.length(),
                            peer,
                            null,
                            null,
                            key.key(),
                            Map.of(),
                            List.of()));
        }
        request.response()
                .setStatusCode(key.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE)
                .putHeader(HttpHeaders.CONNECTION, "close")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .putHeader("X-Request-Id", requestId)
                .end(body)
                .onComplete(v -> request.connection().close());
    }
}
