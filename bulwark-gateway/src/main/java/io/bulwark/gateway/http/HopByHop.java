package io.bulwark.gateway.http;

import io.vertx.core.MultiMap;
import java.util.List;

/** Hop-by-hop headers (RFC 9110 section 7.6.1): they describe one connection and are never forwarded. */
public final class HopByHop {
    private static final List<String> NAMES = List.of(
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

    /** Case-insensitive, without allocating: this runs for every header of every request and response. */
    public static boolean isHopByHop(String name) {
        for (int i = 0; i < NAMES.size(); i++) {
            String n = NAMES.get(i);
            if (n.length() == name.length() && n.regionMatches(true, 0, name, 0, n.length())) {
                return true;
            }
        }
        return false;
    }

    /** Removes, in place, the hop-by-hop headers and every header that the {@code Connection} header names. */
    public static void strip(MultiMap headers) {
        List<String> connection = headers.getAll("connection");
        for (String value : connection) {
            int start = 0;
            while (start <= value.length()) {
                int comma = value.indexOf(',', start);
                int end = comma < 0 ? value.length() : comma;
                String token = value.substring(start, end).trim();
                if (!token.isEmpty()) {
                    headers.remove(token);
                }
                start = end + 1;
            }
        }
        for (int i = 0; i < NAMES.size(); i++) {
            headers.remove(NAMES.get(i));
        }
    }

    /**
     * Copies end-to-end headers from {@code from} to {@code to}, leaving out hop-by-hop headers and every header
     * that the {@code Connection} header names.
     */
    public static void copyEndToEnd(MultiMap from, MultiMap to) {
        String connection = from.get("connection");
        from.forEach((name, value) -> {
            if (!isHopByHop(name) && (connection == null || !namedIn(connection, name))) {
                to.add(name, value);
            }
        });
    }

    private static boolean namedIn(String connection, String name) {
        int start = 0;
        while (start <= connection.length()) {
            int comma = connection.indexOf(',', start);
            int end = comma < 0 ? connection.length() : comma;
            int s = start;
            int e = end;
            while (s < e && connection.charAt(s) == ' ') {
                s++;
            }
            while (e > s && connection.charAt(e - 1) == ' ') {
                e--;
            }
            if (e - s == name.length() && connection.regionMatches(true, s, name, 0, name.length())) {
                return true;
            }
            start = end + 1;
        }
        return false;
    }
}
