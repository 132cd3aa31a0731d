package io.bulwark.bench;

import io.bulwark.api.ErrorKey;
import io.bulwark.api.Headers;
import io.bulwark.api.ResponseHead;

/** A mutable response head, as the upstream client would hand it to the response phase. */
final class BenchResponseHead implements ResponseHead {
    private final BenchHeaders headers = new BenchHeaders();
    private int status = 200;

    @Override
    public int status() {
        return status;
    }

    @Override
    public void status(int status) {
        this.status = status;
    }

    @Override
    public Headers headers() {
        return headers;
    }

    @Override
    public ErrorKey errorKey() {
        return null;
    }

    /** Puts back what a typical JSON API answers, as if a new upstream response had arrived. */
    void resetToUpstreamResponse() {
        status = 200;
        headers.clear();
        headers.add("Content-Type", "application/json");
        headers.add("Content-Length", "52");
        headers.add("Server", "nginx");
        headers.add("Date", "Thu, 27 Nov 2025 12:00:00 GMT");
    }
}
