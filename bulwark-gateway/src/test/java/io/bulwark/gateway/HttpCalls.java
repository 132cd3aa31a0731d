package io.bulwark.gateway;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.TimeUnit;

/** One HTTP exchange from a test thread to a local port, with the whole answer read. */
final class HttpCalls {
    /** What came back. */
    record Result(int status, MultiMap headers, String body) {}

    private HttpCalls() {}

    static Result call(HttpClientAgent client, HttpMethod method, int port, String uri, MultiMap headers, Buffer body)
            throws Exception {
        RequestOptions o = new RequestOptions()
                .setMethod(method)
                .setHost("127.0.0.1")
                .setPort(port)
                .setURI(uri)
                .setHeaders(headers == null ? MultiMap.caseInsensitiveMultiMap() : headers);
        // Read the body in the same callback chain: a response completed on the event loop before a later
        // body() call from this thread would lose its data.
        return client.request(o)
                .compose(req -> body == null ? req.send() : req.send(body))
                .compose(resp -> resp.body().map(b -> new Result(resp.statusCode(), resp.headers(), b.toString())))
                .await(30, TimeUnit.SECONDS);
    }
}
