package io.bulwark.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.api.AttributeKey;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Exchange;
import io.bulwark.api.ResponseHead;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** An in-memory {@link Exchange} for policy tests; build one with {@link #request} and the fluent setters. */
public final class TestExchange implements Exchange {
    private final String method;
    private final String path;
    private final TestHeaders requestHeaders = new TestHeaders();
    private final Map<AttributeKey<?>, Object> attributes = new HashMap<>();
    private String query;
    private long contentLength = -1;
    private List<X509Certificate> clientCertificates = List.of();
    private Response response;

    private TestExchange(String method, String path) {
        this.method = method;
        this.path = path;
    }

    public static TestExchange request(String method, String path) {
        return new TestExchange(method, path);
    }

    public TestExchange header(String name, String value) {
        requestHeaders.add(name, value);
        return this;
    }

    public TestExchange query(String query) {
        this.query = query;
        return this;
    }

    /** The verified client certificate chain, leaf first, as an mTLS listener would hand it over. */
    public TestExchange clientCertificates(X509Certificate... chain) {
        this.clientCertificates = List.of(chain);
        return this;
    }

    public TestExchange contentLength(long contentLength) {
        this.contentLength = contentLength;
        return this;
    }

    /** Starts the response phase with an upstream response of this status. */
    public TestExchange respond(int status) {
        this.response = new Response(status, null);
        return this;
    }

    /** Starts the response phase with a problem response the gateway made for this error key. */
    public TestExchange respond(ErrorKey key) {
        this.response = new Response(key.status(), key);
        return this;
    }

    /** The decision of a policy that must answer synchronously (every built-in policy does). */
    public static Decision decided(CompletionStage<Decision> stage) {
        CompletableFuture<Decision> future = stage.toCompletableFuture();
        assertThat(future).as("policies answer synchronously").isDone();
        return future.join();
    }

    @Override
    public String requestId() {
        return "req-1";
    }

    @Override
    public String routeId() {
        return "r1";
    }

    @Override
    public String method() {
        return method;
    }

    @Override
    public String scheme() {
        return "https";
    }

    @Override
    public String host() {
        return "api.example.com";
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public String query() {
        return query;
    }

    @Override
    public TestHeaders requestHeaders() {
        return requestHeaders;
    }

    @Override
    public String clientIp() {
        return "203.0.113.7";
    }

    @Override
    public long requestContentLength() {
        return contentLength;
    }

    @Override
    public List<X509Certificate> clientCertificates() {
        return clientCertificates;
    }

    @Override
    public Response response() {
        return response;
    }

    @Override
    public <T> Optional<T> attribute(AttributeKey<T> key) {
        return Optional.ofNullable(key.type().cast(attributes.get(key)));
    }

    @Override
    public <T> void attribute(AttributeKey<T> key, T value) {
        attributes.put(key, key.type().cast(value));
    }

    /** A mutable response head. */
    public static final class Response implements ResponseHead {
        private final TestHeaders headers = new TestHeaders();
        private final ErrorKey errorKey;
        private int status;

        private Response(int status, ErrorKey errorKey) {
            this.status = status;
            this.errorKey = errorKey;
        }

        public Response header(String name, String value) {
            headers.add(name, value);
            return this;
        }

        @Override
        public int status() {
            return status;
        }

        @Override
        public void status(int status) {
            this.status = status;
        }

        @Override
        public TestHeaders headers() {
            return headers;
        }

        @Override
        public ErrorKey errorKey() {
            return errorKey;
        }
    }
}
