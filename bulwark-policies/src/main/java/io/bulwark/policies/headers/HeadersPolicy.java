package io.bulwark.policies.headers;

import io.bulwark.api.Decision;
import io.bulwark.api.Exchange;
import io.bulwark.api.Headers;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** Adds and removes headers: security headers on responses, and optional request rewrites. */
final class HeadersPolicy implements Policy {
    private final HeadersConfig config;

    HeadersPolicy(HeadersConfig config) {
        this.config = config;
    }

    @Override
    public Phase phase() {
        return Phase.RESPOND;
    }

    @Override
    public CompletionStage<Decision> onRequest(Exchange exchange) {
        Headers h = exchange.requestHeaders();
        for (String name : config.requestRemove()) {
            h.remove(name);
        }
        for (Map.Entry<String, String> e : config.requestSet().entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        return Decision.proceedStage();
    }

    @Override
    public void onResponse(Exchange exchange) {
        Headers h = exchange.response().headers();
        // Removals first, so that a header the upstream sent can be replaced by a configured value.
        for (String name : config.responseRemove()) {
            h.remove(name);
        }
        for (Map.Entry<String, String> e : config.responseSet().entrySet()) {
            h.set(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : config.responseSetIfAbsent().entrySet()) {
            if (!h.contains(e.getKey())) {
                h.set(e.getKey(), e.getValue());
            }
        }
    }
}
