package io.bulwark.gateway.proxy;

import io.bulwark.api.ErrorKey;
import io.bulwark.api.Headers;
import io.bulwark.api.ResponseHead;
import io.bulwark.gateway.http.VertxHeaders;
import io.vertx.core.MultiMap;

/** The response head that response-phase policies may change before it is written. */
final class ResponseHeadImpl implements ResponseHead {
    private int status;
    private final VertxHeaders headers;
    private final ErrorKey errorKey;

    ResponseHeadImpl(int status, MultiMap headers, ErrorKey errorKey) {
        this.status = status;
        this.headers = new VertxHeaders(headers);
        this.errorKey = errorKey;
    }

    @Override
    public int status() {
        return status;
    }

    @Override
    public void status(int status) {
        if (status < 100 || status > 599) {
            throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
        }
        this.status = status;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    MultiMap multiMap() {
        return headers.unwrap();
    }

    @Override
    public ErrorKey errorKey() {
        return errorKey;
    }
}
