package io.bulwark.bench;

import io.bulwark.api.AttributeKey;
import io.bulwark.api.Exchange;
import io.bulwark.api.Headers;
import io.bulwark.api.ResponseHead;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * An in-memory exchange for benchmarks: a browser-like GET of a JSON resource. {@link #reset()} puts it back in
 * its initial state so that one instance serves every invocation without allocating.
 */
final class BenchExchange implements Exchange {
    private final BenchHeaders requestHeaders = new BenchHeaders();
    private final BenchResponseHead response = new BenchResponseHead();
    private final Map<AttributeKey<?>, Object> attributes = new IdentityHashMap<>();
    private final String origin;
    private boolean responsePhase;

    /** @param origin the {@code Origin} request header, or null for a server-to-server call */
    BenchExchange(String origin) {
        this.origin = origin;
        reset();
    }

    /** Back to a fresh request, before any policy ran. */
    void reset() {
        requestHeaders.clear();
        requestHeaders.add("Host", "api.example.com");
        requestHeaders.add("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) bench");
        requestHeaders.add("Accept", "application/json");
        requestHeaders.add("Accept-Encoding", "gzip, deflate, br");
        requestHeaders.add("Accept-Language", "en-GB,en;q=0.9");
        requestHeaders.add("X-Request-Id", "0f8fad5b-d9cb-469f-a165-70867728950e");
        requestHeaders.add("Authorization", BenchToken.BEARER);
        if (origin != null) {
            requestHeaders.add("Origin", origin);
        }
        attributes.clear();
        responsePhase = false;
    }

    /** Enters the response phase with a fresh upstream response. */
    void upstreamResponded() {
        response.resetToUpstreamResponse();
        responsePhase = true;
    }

    BenchResponseHead responseHead() {
        return response;
    }

    @Override
    public String requestId() {
        return "0f8fad5b-d9cb-469f-a165-70867728950e";
    }

    @Override
    public String routeId() {
        return "bench";
    }

    @Override
    public String method() {
        return "GET";
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
        return "/v1/users/42";
    }

    @Override
    public String query() {
        return "fields=id,name";
    }

    @Override
    public Headers requestHeaders() {
        return requestHeaders;
    }

    @Override
    public String clientIp() {
        return "203.0.113.7";
    }

    @Override
    public long requestContentLength() {
        return -1;
    }

    @Override
    public ResponseHead response() {
        return responsePhase ? response : null;
    }

    @Override
    public <T> Optional<T> attribute(AttributeKey<T> key) {
        return Optional.ofNullable(key.type().cast(attributes.get(key)));
    }

    @Override
    public <T> void attribute(AttributeKey<T> key, T value) {
        attributes.put(key, value);
    }
}
