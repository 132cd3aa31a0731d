package io.bulwark.gateway.proxy;

import io.bulwark.api.ErrorKeys;
import io.bulwark.gateway.config.ListenerConfig;
import io.bulwark.gateway.http.Problems;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.HostAndPort;

/**
 * A plain-HTTP listener whose only job is to send clients to HTTPS: 308 (method and body preserved) to the same
 * host and path on the HTTPS port. No request body is read and nothing is proxied.
 */
public final class RedirectHandler implements Handler<HttpServerRequest> {
    private final ListenerConfig listener;

    public RedirectHandler(ListenerConfig listener) {
        this.listener = listener;
    }

    @Override
    public void handle(HttpServerRequest req) {
        HostAndPort authority = req.authority();
        if (authority == null || authority.host().isEmpty() || !isHost(authority.host())) {
            io.vertx.core.buffer.Buffer body =
                    Problems.render(ErrorKeys.BAD_REQUEST, 400, "a valid Host header is required", null);
            req.response()
                    .setStatusCode(400)
                    .putHeader(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .putHeader(HttpHeaders.CONNECTION, "close")
                    .end(body);
            return;
        }
        String host = authority.host();
        if (host.indexOf(':') >= 0 && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        int port = listener.redirectPort();
        // path() and query(), never uri(): an absolute-form target would otherwise leak into Location.
        String query = req.query();
        String location =
                "https://" + host + (port == 443 ? "" : ":" + port) + req.path() + (query == null ? "" : "?" + query);
        req.response()
                .setStatusCode(308)
                .putHeader(HttpHeaders.LOCATION, location)
                .putHeader(HttpHeaders.CONTENT_LENGTH, "0")
                .putHeader(HttpHeaders.CONNECTION, "close")
                .end();
    }

    /** Only host characters: the Location header must not become a vehicle for header injection. */
    private static boolean isHost(String h) {
        if (h.length() > 255) {
            return false;
        }
        for (int i = 0; i < h.length(); i++) {
            char c = h.charAt(i);
            if (!(c >= 'a' && c <= 'z'
                    || c >= 'A' && c <= 'Z'
                    || c >= '0' && c <= '9'
                    || c == '.'
                    || c == '-'
                    || c == ':'
                    || c == '['
                    || c == ']')) {
                return false;
            }
        }
        return true;
    }
}
