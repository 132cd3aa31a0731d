package io.bulwark.policies.cors;

import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Exchange;
import io.bulwark.api.Headers;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Cross-origin resource sharing. Answers preflights itself (before authentication: browsers send no credentials
 * on a preflight) and adds the CORS response headers to every response for an allowed origin, rejections
 * included, so that browser clients can read error bodies.
 */
final class CorsPolicy implements Policy {
    static final ErrorKey CORS_REJECTED = new ErrorKey("CORS_REJECTED", 403, "Cross-origin request not allowed");

    private final CorsConfig config;
    private final OriginMatcher origins;
    private final String allowMethods;
    private final String exposeHeaders;
    private final String maxAge;

    CorsPolicy(CorsConfig config) {
        this.config = config;
        this.origins = new OriginMatcher(config.allowOrigins());
        this.allowMethods =
                String.join(", ", config.allowMethods().stream().sorted().toList());
        this.exposeHeaders = String.join(", ", config.exposeHeaders());
        this.maxAge = Long.toString(config.maxAge().toSeconds());
    }

    @Override
    public Phase phase() {
        return Phase.CONNECT;
    }

    @Override
    public CompletionStage<Decision> onRequest(Exchange exchange) {
        Headers headers = exchange.requestHeaders();
        String origin = headers.get("Origin");
        String requestedMethod = headers.get("Access-Control-Request-Method");
        if (origin == null || !"OPTIONS".equals(exchange.method()) || requestedMethod == null) {
            return Decision.proceedStage();
        }
        if (!origins.matches(origin)) {
            return Decision.reject(CORS_REJECTED, "origin not allowed").asStage();
        }
        if (!config.allowMethods().contains(requestedMethod.trim().toUpperCase(Locale.ROOT))) {
            return Decision.reject(CORS_REJECTED, "method not allowed for cross-origin requests")
                    .asStage();
        }
        String requestedHeaders = headers.get("Access-Control-Request-Headers");
        StringBuilder allowed = new StringBuilder();
        if (requestedHeaders != null) {
            for (String h : requestedHeaders.split(",", 64)) {
                String name = h.strip().toLowerCase(Locale.ROOT);
                if (name.isEmpty()) {
                    continue;
                }
                if (!config.allowHeaders().contains(name)) {
                    return Decision.reject(CORS_REJECTED, "header not allowed for cross-origin requests")
                            .asStage();
                }
                allowed.append(allowed.isEmpty() ? "" : ", ").append(name);
            }
        }
        Map<String, String> out = new HashMap<>();
        out.put("Access-Control-Allow-Origin", allowOriginValue(origin));
        out.put("Access-Control-Allow-Methods", allowMethods);
        if (!allowed.isEmpty()) {
            // Echo the checked names, never the raw header: only allow-listed tokens go back out.
            out.put("Access-Control-Allow-Headers", allowed.toString());
        }
        if (config.allowCredentials()) {
            out.put("Access-Control-Allow-Credentials", "true");
        }
        out.put("Access-Control-Max-Age", maxAge);
        out.put("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        return Decision.respond(204, out).asStage();
    }

    @Override
    public void onResponse(Exchange exchange) {
        String origin = exchange.requestHeaders().get("Origin");
        Headers out = exchange.response().headers();
        if (origin == null || out.contains("Access-Control-Allow-Origin")) {
            return;
        }
        // The answer depends on Origin even when it is refused: caches must keep them apart.
        appendVary(out);
        if (!origins.matches(origin)) {
            return;
        }
        out.set("Access-Control-Allow-Origin", allowOriginValue(origin));
        if (config.allowCredentials()) {
            out.set("Access-Control-Allow-Credentials", "true");
        }
        if (!exposeHeaders.isEmpty()) {
            out.set("Access-Control-Expose-Headers", exposeHeaders);
        }
    }

    private String allowOriginValue(String origin) {
        return origins.isAny() && !config.allowCredentials() ? "*" : origin;
    }

    private static void appendVary(Headers out) {
        List<String> vary = out.getAll("Vary");
        for (String v : vary) {
            for (String part : v.split(",")) {
                if (part.trim().equalsIgnoreCase("Origin") || part.trim().equals("*")) {
                    return;
                }
            }
        }
        out.add("Vary", "Origin");
    }
}
