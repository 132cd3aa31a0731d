package io.bulwark.gateway.http;

import io.vertx.core.MultiMap;
import java.util.Locale;
import java.util.Set;

/** Hop-by-hop headers (RFC 9110 section 7.6.1): they describe one connection and are never forwarded. */
public final class HopByHop {
    private static final Set<String> NAMES = Set.of(
            "connection",
            "keep-alive",
            "proxy-authenticate",
            "proxy-authorization",
            "proxy-connection",
            "te",
            "trailer",
            "transfer-encoding",
            "upgrade",
            "http2-settings");

    private HopByHop() {}

    public static boolean isHopByHop(String lowerCaseName) {
        return NAMES.contains(lowerCaseName);
    }

    /**
     * Copies end-to-end headers from {@code from} to {@code to}, leaving out hop-by-hop headers and every header
     * that the {@code Connection} header names.
     */
    public static void copyEndToEnd(MultiMap from, MultiMap to) {
        String connection = from.get("connection");
        Set<String> named = connection == null ? Set.of() : connectionTokens(connection);
        from.forEach((name, value) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            if (!NAMES.contains(lower) && !named.contains(lower)) {
                to.add(name, value);
            }
        });
    }

    private static Set<String> connectionTokens(String value) {
        java.util.HashSet<String> out = new java.util.HashSet<>();
        for (String t : value.split(",")) {
            String s = t.trim().toLowerCase(Locale.ROOT);
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
