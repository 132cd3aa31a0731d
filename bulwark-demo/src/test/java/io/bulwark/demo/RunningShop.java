package io.bulwark.demo;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** The API started on an ephemeral port with fresh data, and a client for it; one per test. */
final class RunningShop implements AutoCloseable {

    static final String ALICE = "1";
    static final String BOB = "2";
    static final String CAROL = "3";

    private final HttpServer server;
    private final ShopClient client;

    private RunningShop(HttpServer server) {
        this.server = server;
        this.client = new ShopClient(server.actualPort());
    }

    static RunningShop start(Vertx vertx) {
        return start(vertx, new ShopStore());
    }

    static RunningShop start(Vertx vertx, ShopStore store) {
        return new RunningShop(await(AcmeShopApi.start(vertx, "127.0.0.1", 0, store)));
    }

    ShopClient client() {
        return client;
    }

    int port() {
        return server.actualPort();
    }

    @Override
    public void close() {
        client.close();
        await(server.close());
    }

    static <T> T await(Future<T> future) {
        try {
            return future.await(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out", e);
        }
    }
}
