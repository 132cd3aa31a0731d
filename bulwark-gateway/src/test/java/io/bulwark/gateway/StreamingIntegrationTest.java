package io.bulwark.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.RequestOptions;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bodies stream: 1 GiB goes through in each direction while the test JVM has a 512 MiB heap, so a gateway that
 * buffered a body would fail with OutOfMemoryError.
 */
class StreamingIntegrationTest {
    static final long ONE_GIB = 1L << 30;
    static final Buffer CHUNK = Buffer.buffer(new byte[1 << 20]);

    static Vertx vertx;
    static HttpClientAgent client;
    static TestUpstream upstream;
    static TestGateway gw;

    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        assertThat(Runtime.getRuntime().maxMemory()).isLessThan(ONE_GIB);
        vertx = Vertx.vertx();
        client = vertx.createHttpClient();
        upstream = TestUpstream.start(vertx);
        upstream.on("/download", req -> {
            HttpServerResponse resp = req.response().setChunked(true);
            writeGib(resp, new AtomicLong());
        });
        gw = TestGateway.start(
                vertx,
                dir,
                TestGateway.simpleConfig(upstream.url(), "", """
                limits:
                  max_body_bytes: 2GiB
                  request_timeout: 60s
                """)
                        .replace("response_timeout: 2s", "response_timeout: 30s"));
    }

    /** Writes 1 GiB with back-pressure: never more in flight than the write queue allows. */
    private static void writeGib(HttpServerResponse resp, AtomicLong written) {
        if (resp.ended()) {
            return;
        }
        while (written.get() < ONE_GIB && !resp.writeQueueFull()) {
            resp.write(CHUNK);
            written.addAndGet(CHUNK.length());
        }
        if (written.get() >= ONE_GIB) {
            resp.drainHandler(null);
            resp.end();
        } else {
            resp.drainHandler(v -> writeGib(resp, written));
        }
    }

    @AfterAll
    static void stop() throws Exception {
        gw.close();
        upstream.close();
        vertx.close().await();
    }

    @Test
    void streams_a_one_gib_upload() throws Exception {
        HttpClientRequest req = client.request(new RequestOptions()
                        .setMethod(HttpMethod.POST)
                        .setHost("127.0.0.1")
                        .setPort(gw.port())
                        .setURI("/upload"))
                .await();
        req.setChunked(true);
        var response = req.response().compose(r -> r.body().map(b -> r.statusCode() + " " + b));
        Promise<Void> sent = Promise.promise();
        AtomicLong written = new AtomicLong();
        vertx.runOnContext(v -> pump(req, written, sent));
        sent.future().await(120, TimeUnit.SECONDS);
        String result = response.await(120, TimeUnit.SECONDS);
        assertThat(result).isEqualTo("200 {\"uri\":\"/upload\",\"bytes\":" + ONE_GIB + "}");
        assertThat(upstream.next().bodyBytes()).isEqualTo(ONE_GIB);
    }

    private static void pump(HttpClientRequest req, AtomicLong written, Promise<Void> sent) {
        while (written.get() < ONE_GIB && !req.writeQueueFull()) {
            req.write(CHUNK);
            written.addAndGet(CHUNK.length());
        }
        if (written.get() >= ONE_GIB) {
            req.drainHandler(null);
            req.end().onComplete(sent);
        } else {
            req.drainHandler(v -> pump(req, written, sent));
        }
    }

    @Test
    void streams_a_one_gib_download() throws Exception {
        AtomicLong received = new AtomicLong();
        int status = client.request(new RequestOptions()
                        .setHost("127.0.0.1")
                        .setPort(gw.port())
                        .setURI("/download"))
                .compose(r -> r.send())
                .compose(r -> {
                    Promise<Integer> done = Promise.promise();
                    r.handler(b -> received.addAndGet(b.length()));
                    r.endHandler(v -> done.complete(r.statusCode()));
                    r.exceptionHandler(done::tryFail);
                    return done.future();
                })
                .await(120, TimeUnit.SECONDS);
        assertThat(status).isEqualTo(200);
        assertThat(received.get()).isEqualTo(ONE_GIB);
    }
}
