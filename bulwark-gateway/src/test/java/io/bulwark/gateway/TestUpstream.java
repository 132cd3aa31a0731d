package io.bulwark.gateway;

import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** An in-process upstream on port 0: handlers by exact path, and a record of what it received. */
final class TestUpstream implements AutoCloseable {
    /** What the upstream saw of one request. */
    record Seen(String method, String uri, MultiMap headers, long bodyBytes) {}

    private final HttpServer server;
    private final Map<String, Handler<HttpServerRequest>> handlers = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();

    private TestUpstream(HttpServer server) {
        this.server = server;
    }

    static TestUpstream start(Vertx vertx) throws Exception {
        HttpServer server = vertx.createHttpServer();
        TestUpstream u = new TestUpstream(server);
        server.requestHandler(u::handle);
        server.listen(0, "127.0.0.1").await();
        return u;
    }

    TestUpstream on(String path, Handler<HttpServerRequest> handler) {
        handlers.put(path, handler);
        return this;
    }

    int port() {
        return server.actualPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    /** The next request the upstream finished reading (waits up to 10 s). */
    Seen next() throws InterruptedException {
        Seen s = seen.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("the upstream received no request");
        }
        return s;
    }

    int pending() {
        return seen.size();
    }

    private void handle(HttpServerRequest req) {
        Handler<HttpServerRequest> h = handlers.get(req.path());
        if (h != null) {
            h.handle(req);
            return;
        }
        // Default: count the body, then echo what was received as JSON.
        long[] count = {0};
        MultiMap headers = MultiMap.caseInsensitiveMultiMap().addAll(req.headers());
        req.handler(b -> count[0] += b.length());
        req.endHandler(v -> {
            seen.add(new Seen(req.method().name(), req.uri(), headers, count[0]));
            req.response()
                    .putHeader("content-type", "application/json")
                    .putHeader("Server", "test-upstream/1.0")
                    .putHeader("X-Powered-By", "tests")
                    .end("{\"uri\":\"" + req.uri().replace("\"", "") + "\",\"bytes\":" + count[0] + "}");
        });
    }

    /** Records a request from a custom handler. */
    void record(HttpServerRequest req, long bytes) {
        seen.add(new Seen(
                req.method().name(),
                req.uri(),
                MultiMap.caseInsensitiveMultiMap().addAll(req.headers()),
                bytes));
    }

    @Override
    public void close() throws Exception {
        server.close().await();
    }
}
