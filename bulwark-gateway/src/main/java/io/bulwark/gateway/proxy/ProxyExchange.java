package io.bulwark.gateway.proxy;

import io.bulwark.api.AttributeKey;
import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.ErrorKeys;
import io.bulwark.api.Exchange;
import io.bulwark.api.Headers;
import io.bulwark.api.Monitored;
import io.bulwark.api.OperationMatch;
import io.bulwark.api.ResponseHead;
import io.bulwark.gateway.GatewayRuntime;
import io.bulwark.gateway.GatewayRuntime.CompiledRoute;
import io.bulwark.gateway.config.AccessLogConfig;
import io.bulwark.gateway.config.LimitsConfig;
import io.bulwark.gateway.config.ListenerConfig;
import io.bulwark.gateway.config.RouteOpenApi;
import io.bulwark.gateway.config.TlsConfig;
import io.bulwark.gateway.http.HopByHop;
import io.bulwark.gateway.http.Problems;
import io.bulwark.gateway.http.VertxHeaders;
import io.bulwark.gateway.observe.TrafficEvent;
import io.bulwark.gateway.routing.PathNormalizer;
import io.bulwark.gateway.upstream.Target;
import io.bulwark.gateway.upstream.Upstream;
import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.HostAndPort;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.SocketAddress;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLPeerUnverifiedException;

/**
 * One request through the gateway: route, policy chain, upstream call, response chain, access log. Confined to
 * the event loop of its connection; every callback below runs there.
 *
 * <p>Bodies stream in both directions with back-pressure; nothing buffers a body. The request body is held
 * (paused) while the chain decides, so a rejected upload is never read.
 */
final class ProxyExchange implements Exchange {
    private static final int MAX_LOGGED_PATH = 2048;

    private final ProxyContext ctx;
    private final GatewayRuntime runtime;
    private final HttpServerRequest req;
    private final HttpServerResponse resp;
    private final Context vertxContext;
    private final Vertx vertx;
    private final LimitsConfig limits;
    private final long startNanos = System.nanoTime();
    private final long startMillis = System.currentTimeMillis();

    private String requestId;
    private String host = "";
    private String path;
    private String clientIp;
    private String peer;
    private CompiledRoute route;
    private VertxHeaders requestHeaders;
    /**
     * Concurrent because an asynchronous policy may publish an attribute from the thread that completed its
     * work (an HTTP client's), while a timer on the event loop may be reading attributes for the access log.
     */
    private final Map<AttributeKey<?>, Object> attributes = new java.util.concurrent.ConcurrentHashMap<>(4);

    private ResponseHeadImpl head;
    private long contentLength = -1;
    /** The client's authority ({@code host[:port]}), captured before the header map is rewritten for upstream. */
    private String originalAuthority;
    /** The headers the access log records, captured as the client sent them. */
    private Map<String, String> logHeaders = Map.of();
    /** The upstream request headers, built once (a retry reuses them with another Host). */
    private MultiMap forwardHeaders;

    private long requestTimer = -1;
    private boolean requestEnded;
    private boolean bodyStarted;
    private boolean finished;
    private boolean closeConnection;
    /** Set once the gateway answers on its own: upstream callbacks that arrive later are ignored. */
    private boolean answered;

    private long bytesIn;
    private long bytesOut;
    private long maxBody;
    /** The request body after inspection, when a policy asked to see it; sent instead of streaming. */
    private Buffer bufferedRequest;

    private ErrorKey errorKey;
    private int loggedStatus;
    /** The status of a response whose end was already written; a close after that is not a client abort. */
    private int endedStatus;

    private Target target;
    private HttpClientRequest upstreamRequest;
    /** The verified client chain, read on first use; null until then. */
    private List<X509Certificate> clientCertificates;

    ProxyExchange(ProxyContext ctx, HttpServerRequest req) {
        this.ctx = ctx;
        this.runtime = ctx.runtime().get();
        this.req = req;
        this.resp = req.response();
        this.vertxContext = Vertx.currentContext();
        this.vertx = vertxContext.owner();
        this.limits = runtime.config().limits();
    }

    void start() {
        ctx.inFlight().incrementAndGet();
        requestId = RequestIds.accept(req.getHeader("X-Request-Id"));
        SocketAddress remote = req.remoteAddress();
        peer = remote == null ? "unknown" : remote.hostAddress();
        clientIp = peer;
        resp.closeHandler(v -> onClientClosed());
        req.exceptionHandler(this::onRequestError);
        if (req.uri().length() > limits.maxUriLength()) {
            closeConnection = true;
            sendProblem(
                    ErrorKeys.URI_TOO_LONG, 0, "the request target is longer than " + limits.maxUriLength(), Map.of());
            return;
        }
        HostAndPort authority = req.authority();
        host = authority == null ? "" : authority.host().toLowerCase(Locale.ROOT);
        originalAuthority = authorityHeader();
        AccessLogConfig log = runtime.config().accessLog();
        if (!log.includeHeaders().isEmpty()) {
            logHeaders = loggedHeaders(log);
        }
        path = PathNormalizer.normalize(req.path());
        if (path == null) {
            closeConnection = true;
            sendProblem(ErrorKeys.BAD_REQUEST, 0, "the request path is malformed or escapes the root", Map.of());
            return;
        }
        if (runtime.clientIps().hasTrustedProxies()) {
            clientIp = runtime.clientIps()
                    .resolve(
                            peer,
                            req.headers().getAll("X-Forwarded-For"),
                            req.headers().getAll("Forwarded"));
        }
        route = runtime.router().route(host, path);
        if (route == null) {
            closeConnection = hasUnreadBody();
            sendProblem(ErrorKeys.ROUTE_NOT_FOUND, 0, null, Map.of());
            return;
        }
        String cl = req.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (cl != null) {
            contentLength = parseContentLength(cl);
            if (contentLength < 0) {
                closeConnection = true;
                sendProblem(ErrorKeys.BAD_REQUEST, 0, "invalid Content-Length", Map.of());
                return;
            }
        }
        // Content-Length together with Transfer-Encoding never gets here: the HTTP/1.1 decoder drops the
        // Content-Length as RFC 9112 section 6.3 requires, so upstreams see one unambiguous framing.
        String te = req.getHeader(HttpHeaders.TRANSFER_ENCODING);
        if (te != null
                && (!te.trim().equalsIgnoreCase("chunked")
                        || req.headers().getAll(HttpHeaders.TRANSFER_ENCODING).size() > 1)) {
            // Only plain chunked framing is forwarded: coding chains are how framing disagreements are built.
            closeConnection = true;
            sendProblem(ErrorKeys.BAD_REQUEST, 0, "unsupported Transfer-Encoding (expected: chunked)", Map.of());
            return;
        }
        maxBody = limits.maxBodyBytes();
        if (contentLength > maxBody) {
            closeConnection = true;
            sendProblem(ErrorKeys.BODY_TOO_LARGE, 0, "the request body is larger than " + maxBody + " bytes", Map.of());
            return;
        }
        req.pause();
        boolean bodiless = req.version() != HttpVersion.HTTP_2 && contentLength <= 0 && te == null;
        if (!bodiless) {
            // A request without a body is complete once its head is parsed: no timer needed (timers cost a map
            // insert and remove per request).
            requestTimer = vertx.setTimer(limits.requestTimeout().toMillis(), id -> onRequestTimeout());
        }
        requestHeaders = new VertxHeaders(req.headers());
        RouteOpenApi openapi = route.config().openapi();
        if (openapi != null) {
            OperationMatch match = openapi.matcher()
                    .match(req.method().name(), route.upstream().basePath() + strippedPath());
            if (match != null) {
                attribute(Attributes.OPERATION, match);
            }
        }
        route.chain().onRequest(this, r -> vertxContext.runOnContext(v -> r.run()), this::onDecision);
    }

    private static long parseContentLength(String v) {
        if (v.isEmpty() || v.length() > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }

    private boolean hasUnreadBody() {
        return !requestEnded
                && (req.headers().contains(HttpHeaders.TRANSFER_ENCODING)
                        || (req.getHeader(HttpHeaders.CONTENT_LENGTH) != null
                                && !"0".equals(req.getHeader(HttpHeaders.CONTENT_LENGTH)))
                        || req.version() == HttpVersion.HTTP_2);
    }

    // ---- chain decision

    private void onDecision(Decision decision) {
        if (finished) {
            return;
        }
        switch (decision) {
            case Decision.Proceed p -> {
                if (!isUpgrade() && route.chain().inspectsRequestBody(this)) {
                    bufferRequestBody();
                } else {
                    forward(0, null);
                }
            }
            case Decision.Reject r -> {
                closeConnection = hasUnreadBody();
                sendProblem(r.key(), 0, r.detail(), r.headers());
            }
            case Decision.Respond r -> {
                closeConnection = hasUnreadBody();
                sendLocal(r.status(), r.headers());
            }
        }
    }

    // ---- request body inspection

    /**
     * Reads the whole request body, at most the inspection limit, then hands it to the policies that asked for it.
     * Only then is the upstream called, with the (perhaps replaced) body and an exact Content-Length.
     */
    private void bufferRequestBody() {
        applyTighterBodyLimit();
        long limit = Math.min(maxBody, limits.maxInspectedBodyBytes());
        maxBody = limit;
        if (contentLength > limit) {
            closeConnection = true;
            sendProblem(ErrorKeys.BODY_TOO_LARGE, 0, "the request body is larger than " + limit + " bytes", Map.of());
            return;
        }
        Buffer collected = Buffer.buffer(contentLength > 0 ? (int) contentLength : 256);
        req.handler(buf -> {
            if (finished) {
                return;
            }
            bytesIn += buf.length();
            if (bytesIn > limit) {
                onBodyTooLarge();
                return;
            }
            collected.appendBuffer(buf);
        });
        req.endHandler(v -> {
            onRequestEnded();
            if (finished || answered) {
                return;
            }
            BufferedBody body = new BufferedBody(collected, req.getHeader(HttpHeaders.CONTENT_TYPE));
            route.chain().onRequestBody(this, body, r -> vertxContext.runOnContext(x -> r.run()), d -> {
                if (finished || answered) {
                    return;
                }
                switch (d) {
                    case Decision.Proceed p -> {
                        bufferedRequest = body.toBuffer();
                        forward(0, null);
                    }
                    case Decision.Reject r -> sendProblem(r.key(), 0, r.detail(), r.headers());
                    case Decision.Respond r -> sendLocal(r.status(), r.headers());
                }
            });
        });
        if ("100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT))
                && req.version() != HttpVersion.HTTP_2
                && !req.isEnded()) {
            resp.writeContinue();
        }
        req.resume();
    }

    private void applyTighterBodyLimit() {
        Long tighter = attribute(Attributes.MAX_REQUEST_BODY_BYTES).orElse(null);
        if (tighter != null && tighter < maxBody) {
            maxBody = tighter;
        }
    }

    // ---- upstream

    private void forward(int attempt, Target exclude) {
        Upstream upstream = route.upstream();
        applyTighterBodyLimit();
        if (bufferedRequest == null && contentLength > maxBody) {
            closeConnection = true;
            sendProblem(ErrorKeys.BODY_TOO_LARGE, 0, "the request body is larger than " + maxBody + " bytes", Map.of());
            return;
        }
        Target t = upstream.pick(exclude);
        target = t;
        RequestOptions options = new RequestOptions()
                .setMethod(req.method())
                .setHost(t.host())
                .setPort(t.port())
                .setSsl(t.ssl())
                .setURI(upstreamUri(t))
                .setIdleTimeout(upstream.config().responseTimeout().toMillis())
                .setHeaders(upstreamHeaders(t));
        // A retry reaches here again: only the Host header differs between attempts.
        upstream.client().request(options).onComplete(ar -> {
            if (ar.failed()) {
                upstream.failure(t);
                if (finished || answered) {
                    return;
                }
                if (attempt < upstream.config().retries() && upstream.targetCount() > 1 && isIdempotent()) {
                    // Nothing was sent: the connection itself failed, so another target is safe to try.
                    forward(attempt + 1, t);
                } else {
                    failUpstream(ar.cause());
                }
                return;
            }
            HttpClientRequest ureq = ar.result();
            if (finished || answered) {
                ureq.reset();
                return;
            }
            upstreamRequest = ureq;
            // Failures surface through the response future; this only keeps Vert.x from logging them twice.
            ureq.exceptionHandler(e -> {});
            if (isUpgrade()) {
                upgrade(ureq, upstream, t);
            } else {
                send(ureq, upstream, t);
            }
        });
    }

    private boolean isIdempotent() {
        HttpMethod m = req.method();
        return m == HttpMethod.GET
                || m == HttpMethod.HEAD
                || m == HttpMethod.OPTIONS
                || m == HttpMethod.PUT
                || m == HttpMethod.DELETE
                || m == HttpMethod.TRACE;
    }

    private boolean isUpgrade() {
        String upgrade = req.getHeader(HttpHeaders.UPGRADE);
        return upgrade != null && req.version() != HttpVersion.HTTP_2 && upgrade.equalsIgnoreCase("websocket");
    }

    /** The normalized path with the route prefix removed when the route strips it. */
    private String strippedPath() {
        String prefix = route.config().pathPrefix();
        if (route.config().stripPrefix() && !prefix.equals("/")) {
            return path.length() == prefix.length() ? "/" : path.substring(prefix.length());
        }
        return path;
    }

    private String upstreamUri(Target t) {
        String p = strippedPath();
        String base = t.basePath();
        String full = base.isEmpty() ? p : p.equals("/") ? base + "/" : base + p;
        String q = req.query();
        return q == null ? full : full + "?" + q;
    }

    private MultiMap upstreamHeaders(Target t) {
        if (forwardHeaders == null) {
            forwardHeaders = buildForwardHeaders();
        }
        String hostHeader =
                route.config().preserveHost() && originalAuthority != null ? originalAuthority : t.authority();
        forwardHeaders.set(HttpHeaders.HOST, hostHeader);
        return forwardHeaders;
    }

    private MultiMap buildForwardHeaders() {
        // The request's own header map becomes the upstream request's: policies have run, nothing reads the
        // client's hop-by-hop headers after this point, and a copy per request is measurable.
        boolean upgrade = isUpgrade();
        String upgradeTo = upgrade ? req.getHeader(HttpHeaders.UPGRADE) : null;
        MultiMap out = req.headers();
        HopByHop.strip(out);
        out.remove(HttpHeaders.EXPECT);
        out.remove(HttpHeaders.HOST);
        if (upgrade) {
            out.set(HttpHeaders.UPGRADE, upgradeTo);
            out.set(HttpHeaders.CONNECTION, "Upgrade");
        }
        boolean trustedPeer = runtime.clientIps().isTrusted(peer);
        String originalHost = originalAuthority;
        String proto = ctx.listener().protocol() == ListenerConfig.Protocol.HTTPS ? "https" : "http";
        if (!trustedPeer) {
            // An untrusted client's forwarding headers are fiction: drop them rather than pass them on.
            out.remove("X-Forwarded-For");
            out.remove("X-Forwarded-Proto");
            out.remove("X-Forwarded-Host");
            out.remove("X-Forwarded-Port");
            out.remove("Forwarded");
            out.remove("X-Real-IP");
        }
        // Several header lines are one list (RFC 9110 section 5.3): keep every hop a trusted proxy reported.
        String xff = joined(out, "X-Forwarded-For");
        out.set("X-Forwarded-For", xff == null ? peer : xff + ", " + peer);
        if (!out.contains("X-Forwarded-Proto")) {
            out.set("X-Forwarded-Proto", proto);
        }
        if (!out.contains("X-Forwarded-Host") && originalHost != null) {
            out.set("X-Forwarded-Host", originalHost);
        }
        String element = "for=" + forwardedNode(peer) + ";proto=" + proto
                + (originalHost == null ? "" : ";host=\"" + originalHost.replace("\"", "") + "\"");
        String forwarded = joined(out, "Forwarded");
        out.set("Forwarded", forwarded == null ? element : forwarded + ", " + element);
        out.set("X-Request-Id", requestId);
        return out;
    }

    private static String joined(MultiMap headers, String name) {
        List<String> values = headers.getAll(name);
        return values.isEmpty() ? null : values.size() == 1 ? values.get(0) : String.join(", ", values);
    }

    private String authorityHeader() {
        HostAndPort a = req.authority();
        if (a == null) {
            return null;
        }
        String h = a.host();
        if (h.indexOf(':') >= 0 && !h.startsWith("[")) {
            h = "[" + h + "]";
        }
        return a.port() > 0 ? h + ":" + a.port() : h;
    }

    private static String forwardedNode(String ip) {
        return ip.indexOf(':') >= 0 ? "\"[" + ip + "]\"" : ip;
    }

    /** Streams the request body upstream, counting bytes against the limit, with back-pressure both ways. */
    private void send(HttpClientRequest ureq, Upstream upstream, Target t) {
        long sentAt = System.nanoTime();
        ureq.response().onComplete(ar -> onUpstreamResponse(ar, upstream, t, sentAt));
        if (bufferedRequest != null) {
            // Inspected (and perhaps replaced) by a policy: send exactly what it saw, with an exact length.
            ureq.headers().remove(HttpHeaders.TRANSFER_ENCODING);
            ureq.setChunked(false);
            ureq.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(bufferedRequest.length()));
            ureq.end(bufferedRequest);
            return;
        }
        boolean expectContinue = "100-continue".equalsIgnoreCase(req.getHeader(HttpHeaders.EXPECT));
        req.handler(buf -> {
            if (finished) {
                return;
            }
            bytesIn += buf.length();
            if (bytesIn > maxBody) {
                onBodyTooLarge();
                return;
            }
            if (!bodyStarted) {
                bodyStarted = true;
                if (contentLength < 0) {
                    ureq.setChunked(true);
                }
            }
            ureq.write(buf);
            if (ureq.writeQueueFull()) {
                req.pause();
                ureq.drainHandler(v -> req.resume());
            }
        });
        req.endHandler(v -> {
            onRequestEnded();
            if (!finished) {
                ureq.end();
            }
        });
        if (expectContinue && req.version() != HttpVersion.HTTP_2 && !req.isEnded()) {
            // The chain accepted the request: only now invite the client to send its body.
            resp.writeContinue();
        }
        req.resume();
    }

    /** Cancels the upstream exchange, if any; its failure callbacks then find {@link #answered} set. */
    private void cancelUpstream() {
        HttpClientRequest u = upstreamRequest;
        upstreamRequest = null;
        if (u != null) {
            u.reset();
        }
    }

    private void onRequestEnded() {
        requestEnded = true;
        if (requestTimer >= 0) {
            vertx.cancelTimer(requestTimer);
            requestTimer = -1;
        }
    }

    private void onBodyTooLarge() {
        closeConnection = true;
        req.pause();
        if (!resp.headWritten()) {
            sendProblem(ErrorKeys.BODY_TOO_LARGE, 0, "the request body is larger than " + maxBody + " bytes", Map.of());
        } else {
            abort(ErrorKeys.BODY_TOO_LARGE);
        }
    }

    private void failUpstream(Throwable cause) {
        if (cause instanceof TimeoutException) {
            sendProblem(ErrorKeys.UPSTREAM_TIMEOUT, 0, null, Map.of());
        } else if (upstreamRequest == null) {
            sendProblem(ErrorKeys.UPSTREAM_UNAVAILABLE, 0, null, Map.of());
        } else {
            sendProblem(ErrorKeys.UPSTREAM_ERROR, 0, null, Map.of());
        }
    }

    private void onUpstreamResponse(AsyncResult<HttpClientResponse> ar, Upstream upstream, Target t, long sentAt) {
        if (finished || answered) {
            if (ar.succeeded()) {
                ar.result().request().reset();
            }
            return;
        }
        if (ar.failed()) {
            upstream.failure(t);
            closeConnection = closeConnection || !requestEnded;
            if (resp.headWritten()) {
                abort(ErrorKeys.UPSTREAM_ERROR);
            } else {
                failUpstream(ar.cause());
            }
            return;
        }
        HttpClientResponse ures = ar.result();
        ctx.metrics().upstream(upstream.name(), System.nanoTime() - sentAt);
        int status = ures.statusCode();
        if (status == 502 || status == 503 || status == 504) {
            upstream.failure(t);
        } else {
            upstream.success(t);
        }
        if (status >= 500 && route.config().hideUpstreamErrors()) {
            // The body may hold a stack trace: drain it to keep the connection reusable, send a generic problem.
            ures.handler(b -> {});
            ures.exceptionHandler(e -> {});
            sendProblem(ErrorKeys.UPSTREAM_SERVER_ERROR, status, null, Map.of());
            return;
        }
        // Straight into the client response's map: response policies edit what will be written.
        MultiMap headers = resp.headers();
        HopByHop.copyEndToEnd(ures.headers(), headers);
        head = new ResponseHeadImpl(status, headers, null);
        Decision failed = route.chain().onResponse(this);
        if (failed instanceof Decision.Reject r) {
            ures.handler(b -> {});
            ures.exceptionHandler(e -> {});
            head = null;
            sendProblem(r.key(), 0, r.detail(), r.headers());
            return;
        }
        if (mayHaveBody(head.status()) && route.chain().inspectsResponseBody(this)) {
            bufferResponseBody(ures, upstream, t);
            return;
        }
        writeHead();
        if (!mayHaveBody(head.status())) {
            ures.handler(b -> {});
            ures.exceptionHandler(e -> {});
            endResponse(null, head.status());
            return;
        }
        if (!head.multiMap().contains(HttpHeaders.CONTENT_LENGTH) && req.version() != HttpVersion.HTTP_2) {
            resp.setChunked(true);
        }
        ures.handler(buf -> {
            bytesOut += buf.length();
            resp.write(buf);
            if (resp.writeQueueFull()) {
                ures.pause();
                resp.drainHandler(v -> ures.resume());
            }
        });
        ures.exceptionHandler(e -> {
            upstream.failure(t);
            abort(ErrorKeys.UPSTREAM_ERROR);
        });
        ures.endHandler(v -> {
            if (!finished) {
                endResponse(null, head.status());
            }
        });
    }

    /**
     * Reads the whole upstream response, at most the inspection limit, and lets the policies that asked for it see
     * (and change or refuse) it before the head is sent. Over the limit the gateway fails closed with a 502.
     */
    private void bufferResponseBody(HttpClientResponse ures, Upstream upstream, Target t) {
        int limit = limits.maxInspectedBodyBytes();
        long declared = parseContentLength(String.valueOf(head.multiMap().get(HttpHeaders.CONTENT_LENGTH)));
        if (declared > limit) {
            ures.handler(b -> {});
            ures.exceptionHandler(e -> {});
            head = null;
            sendProblem(
                    ErrorKeys.RESPONSE_NOT_INSPECTABLE, 0, "the response is larger than " + limit + " bytes", Map.of());
            return;
        }
        Buffer collected = Buffer.buffer(declared > 0 ? (int) declared : 1024);
        ures.handler(buf -> {
            if (finished || answered) {
                return;
            }
            if (collected.length() + buf.length() > limit) {
                ures.handler(b -> {});
                head = null;
                sendProblem(
                        ErrorKeys.RESPONSE_NOT_INSPECTABLE,
                        0,
                        "the response is larger than " + limit + " bytes",
                        Map.of());
                return;
            }
            collected.appendBuffer(buf);
        });
        ures.exceptionHandler(e -> {
            upstream.failure(t);
            if (!finished && !answered) {
                head = null;
                sendProblem(ErrorKeys.UPSTREAM_ERROR, 0, null, Map.of());
            }
        });
        ures.endHandler(v -> {
            if (finished || answered) {
                return;
            }
            BufferedBody body = new BufferedBody(collected, head.headers().get("Content-Type"));
            Decision d = route.chain().onResponseBody(this, body);
            if (d instanceof Decision.Reject r) {
                head = null;
                sendProblem(r.key(), 0, r.detail(), r.headers());
                return;
            }
            if (d instanceof Decision.Respond r) {
                head = null;
                sendLocal(r.status(), r.headers());
                return;
            }
            Buffer out = body.toBuffer();
            MultiMap h = head.multiMap();
            h.remove(HttpHeaders.TRANSFER_ENCODING);
            h.set(HttpHeaders.CONTENT_LENGTH, Integer.toString(out.length()));
            if (body.replaced()) {
                // The validator or digest of the original bytes no longer describes what is sent.
                h.remove(HttpHeaders.ETAG);
                h.remove("Content-MD5");
                h.remove("Digest");
                h.remove("Content-Digest");
            }
            writeHead();
            bytesOut = out.length();
            endResponse(out, head.status());
        });
    }

    private boolean mayHaveBody(int status) {
        return req.method() != HttpMethod.HEAD && status != 204 && status != 304 && status >= 200;
    }

    /** Copies the (policy-processed) head to the client response, with the gateway's own headers. */
    private void writeHead() {
        resp.setStatusCode(head.status());
        MultiMap out = resp.headers();
        if (head.multiMap() != out) {
            out.addAll(head.multiMap());
        }
        addGatewayHeaders(out);
    }

    private void addGatewayHeaders(MultiMap out) {
        out.set("X-Request-Id", requestId);
        ListenerConfig l = ctx.listener();
        if (l.protocol() == ListenerConfig.Protocol.HTTPS
                && l.hsts() != null
                && l.hsts().enabled()) {
            out.set("Strict-Transport-Security", l.hsts().headerValue());
        }
        if ((closeConnection || ctx.draining().get()) && req.version() != HttpVersion.HTTP_2) {
            out.set(HttpHeaders.CONNECTION, "close");
        }
    }

    // ---- WebSocket and other upgrades

    private void upgrade(HttpClientRequest ureq, Upstream upstream, Target t) {
        long sentAt = System.nanoTime();
        req.resume();
        ureq.connect().onComplete(ar -> {
            if (finished) {
                if (ar.succeeded()) {
                    ar.result().netSocket().close();
                }
                return;
            }
            if (ar.failed()) {
                upstream.failure(t);
                failUpstream(ar.cause());
                return;
            }
            HttpClientResponse ures = ar.result();
            ctx.metrics().upstream(upstream.name(), System.nanoTime() - sentAt);
            upstream.success(t);
            if (ures.statusCode() != 101) {
                onUpstreamResponse(io.vertx.core.Future.succeededFuture(ures), upstream, t, sentAt);
                return;
            }
            onRequestEnded();
            resp.setStatusCode(101);
            MultiMap h = resp.headers();
            ures.headers().forEach(h::add);
            h.set("X-Request-Id", requestId);
            NetSocket upstreamSocket = ures.netSocket();
            req.toNetSocket().onComplete(sr -> {
                if (sr.failed()) {
                    upstreamSocket.close();
                    abort(ErrorKeys.UPSTREAM_ERROR);
                    return;
                }
                NetSocket client = sr.result();
                loggedStatus = 101;
                splice(client, upstreamSocket, true);
                splice(upstreamSocket, client, false);
                client.closeHandler(v -> {
                    upstreamSocket.close();
                    finish(101);
                });
                upstreamSocket.closeHandler(v -> client.close());
            });
        });
    }

    private void splice(NetSocket from, NetSocket to, boolean inbound) {
        from.handler(buf -> {
            if (inbound) {
                bytesIn += buf.length();
            } else {
                bytesOut += buf.length();
            }
            to.write(buf);
            if (to.writeQueueFull()) {
                from.pause();
                to.drainHandler(v -> from.resume());
            }
        });
    }

    // ---- local answers

    private void sendLocal(int status, Map<String, String> headers) {
        MultiMap h = HttpHeaders.headers();
        headers.forEach(h::add);
        head = new ResponseHeadImpl(status, h, null);
        if (route != null) {
            route.chain().onResponse(this);
        }
        writeHead();
        resp.putHeader(HttpHeaders.CONTENT_LENGTH, "0");
        endResponse(null, head.status());
    }

    /**
     * Answers with a problem document.
     *
     * @param statusOverride a status other than the key's (0 keeps the key's)
     */
    private void sendProblem(ErrorKey key, int statusOverride, String detail, Map<String, String> extraHeaders) {
        if (finished) {
            return;
        }
        if (resp.headWritten()) {
            abort(key);
            return;
        }
        answered = true;
        cancelUpstream();
        errorKey = key;
        ctx.metrics().rejection(key.key());
        int status = statusOverride > 0 ? statusOverride : key.status();
        MultiMap h = HttpHeaders.headers();
        extraHeaders.forEach(h::add);
        h.set(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE);
        h.set(HttpHeaders.CACHE_CONTROL, "no-store");
        head = new ResponseHeadImpl(status, h, key);
        if (route != null && requestHeaders != null) {
            // CORS and security headers belong on rejections too.
            if (route.chain().onResponse(this) != null) {
                head = new ResponseHeadImpl(500, h, ErrorKeys.INTERNAL_ERROR);
            }
        }
        Buffer body = req.method() == HttpMethod.HEAD
                ? Buffer.buffer()
                : Problems.render(head.errorKey(), head.status(), detail, requestId);
        resp.setStatusCode(head.status());
        // Drop whatever an upstream response had put there before a policy refused it.
        resp.headers().clear();
        resp.headers().addAll(head.multiMap());
        addGatewayHeaders(resp.headers());
        resp.putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length()));
        bytesOut = body.length();
        endResponse(body, head.status());
    }

    // ---- failures and timeouts

    private void onRequestTimeout() {
        requestTimer = -1;
        if (finished || requestEnded) {
            return;
        }
        closeConnection = true;
        if (!resp.headWritten()) {
            sendProblem(
                    ErrorKeys.REQUEST_TIMEOUT,
                    0,
                    "the request was not received within "
                            + limits.requestTimeout().toMillis() + " ms",
                    Map.of());
        } else {
            abort(ErrorKeys.REQUEST_TIMEOUT);
        }
    }

    private void endResponse(Buffer body, int status) {
        endedStatus = status;
        (body == null ? resp.end() : resp.end(body)).onComplete(v -> finish(status));
    }

    /** A broken body (bad chunk framing) gets a 400 while we still can; a vanished client is a 499. */
    private void onRequestError(Throwable e) {
        if (finished) {
            return;
        }
        if (e instanceof io.vertx.core.http.HttpClosedException || resp.closed()) {
            onClientClosed();
            return;
        }
        closeConnection = true;
        if (!resp.headWritten()) {
            sendProblem(ErrorKeys.BAD_REQUEST, 0, "malformed request body", Map.of());
        } else {
            abort(ErrorKeys.BAD_REQUEST);
        }
    }

    private void onClientClosed() {
        if (finished) {
            return;
        }
        answered = true;
        if (endedStatus != 0) {
            // The whole response was handed to the connection; the client hanging up after it is normal.
            finish(endedStatus);
            return;
        }
        cancelUpstream();
        // 499: the client went away before the answer was complete (the nginx convention).
        finish(499);
    }

    /** The response already started: the only honest signal left is to cut the connection (or stream). */
    private void abort(ErrorKey key) {
        if (finished) {
            return;
        }
        errorKey = key;
        answered = true;
        ctx.metrics().rejection(key.key());
        cancelUpstream();
        if (req.version() == HttpVersion.HTTP_2) {
            resp.reset();
        } else {
            req.connection().close();
        }
        finish(resp.headWritten() ? resp.getStatusCode() : 0);
    }

    private void finish(int status) {
        if (finished) {
            return;
        }
        finished = true;
        if (requestTimer >= 0) {
            vertx.cancelTimer(requestTimer);
            requestTimer = -1;
        }
        if (closeConnection && req.version() != HttpVersion.HTTP_2 && !requestEnded) {
            req.connection().close();
        }
        ctx.inFlight().decrementAndGet();
        int logged = loggedStatus != 0 ? loggedStatus : status;
        long nanos = System.nanoTime() - startNanos;
        String routeId = route == null ? null : route.config().id();
        String method = req.method().name();
        ctx.metrics().request(routeId, method, logged, nanos);
        Monitored monitored = attribute(Attributes.MONITORED).orElse(null);
        if (monitored != null) {
            for (String key : monitored.errorKeys()) {
                ctx.metrics().monitored(routeId, key);
            }
        }
        if (!ctx.events().hasListeners()) {
            return;
        }
        ctx.events()
                .publish(new TrafficEvent(
                        startMillis,
                        requestId,
                        routeId,
                        attribute(Attributes.OPERATION)
                                .map(m -> m.operation().id())
                                .orElse(null),
                        method,
                        loggedPath(),
                        logged,
                        nanos / 1000,
                        bytesIn,
                        bytesOut,
                        clientIp,
                        attribute(Attributes.CONSUMER_ID).orElse(null),
                        target == null ? null : target.label(),
                        errorKey == null ? null : errorKey.key(),
                        logHeaders,
                        monitored == null ? List.of() : monitored.errorKeys()));
    }

    private String loggedPath() {
        String p = path != null ? path : req.path();
        if (p == null) {
            return "";
        }
        return p.length() > MAX_LOGGED_PATH ? p.substring(0, MAX_LOGGED_PATH) : p;
    }

    private Map<String, String> loggedHeaders(AccessLogConfig log) {
        if (log.includeHeaders().isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : log.includeHeaders()) {
            String v = req.getHeader(name);
            if (v != null) {
                out.put(name, log.isSecret(name) ? "<redacted>" : v.length() > 512 ? v.substring(0, 512) : v);
            }
        }
        return out;
    }

    // ---- Exchange

    @Override
    public String requestId() {
        return requestId;
    }

    @Override
    public String routeId() {
        return route == null ? null : route.config().id();
    }

    @Override
    public String method() {
        return req.method().name();
    }

    @Override
    public String scheme() {
        return ctx.listener().protocol() == ListenerConfig.Protocol.HTTPS ? "https" : "http";
    }

    @Override
    public String host() {
        return host;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return req.query();
    }

    @Override
    public Headers requestHeaders() {
        return requestHeaders;
    }

    @Override
    public String clientIp() {
        return clientIp;
    }

    @Override
    public long requestContentLength() {
        return contentLength;
    }

    @Override
    public List<X509Certificate> clientCertificates() {
        List<X509Certificate> certs = clientCertificates;
        if (certs == null) {
            certs = readClientCertificates();
            clientCertificates = certs;
        }
        return certs;
    }

    /** Read only when a policy asks: most routes never look at the client certificate. */
    private List<X509Certificate> readClientCertificates() {
        TlsConfig tls = ctx.listener().tls();
        if (tls == null || tls.clientAuth() == null || !req.isSSL()) {
            // Without client_auth nothing verified a certificate against a trust store: never hand one out.
            return List.of();
        }
        try {
            List<Certificate> chain = req.connection().peerCertificates();
            if (chain == null || chain.isEmpty()) {
                return List.of();
            }
            List<X509Certificate> out = new ArrayList<>(chain.size());
            for (Certificate c : chain) {
                if (c instanceof X509Certificate x) {
                    out.add(x);
                }
            }
            return List.copyOf(out);
        } catch (SSLPeerUnverifiedException e) {
            // Optional mode and the client sent none.
            return List.of();
        }
    }

    @Override
    public ResponseHead response() {
        return head;
    }

    @Override
    public <T> Optional<T> attribute(AttributeKey<T> key) {
        return Optional.ofNullable(key.type().cast(attributes.get(key)));
    }

    @Override
    public <T> void attribute(AttributeKey<T> key, T value) {
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, key.type().cast(value));
        }
    }
}
