package io.bulwark.gateway.routing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Host and path-prefix routing, compiled once into one segment trie per host pattern.
 *
 * <p>Host precedence: an exact host, then the longest matching {@code *.domain} pattern, then {@code *}; within a
 * host the longest path prefix wins, matched on whole segments. When the most specific host has no matching
 * prefix, less specific host patterns are tried, so a catch-all route still catches.
 *
 * @param <T> what a route resolves to
 */
public final class Router<T> {
    private final Map<String, Node<T>> exactHosts;
    /** Suffix patterns ({@code .example.com}) sorted longest first. */
    private final List<Map.Entry<String, Node<T>>> wildcardHosts;

    private final Node<T> anyHost;

    private Router(Map<String, Node<T>> exact, List<Map.Entry<String, Node<T>>> wildcard, Node<T> any) {
        this.exactHosts = exact;
        this.wildcardHosts = wildcard;
        this.anyHost = any;
    }

    public static <T> Builder<T> builder() {
        return new Builder<>();
    }

    /**
     * Finds the route for a request.
     *
     * @param host lower-case host without port
     * @param path a normalized path (see {@link PathNormalizer})
     * @return the route, or null
     */
    public T route(String host, String path) {
        Node<T> exact = exactHosts.get(host);
        if (exact != null) {
            T v = exact.longestPrefix(path);
            if (v != null) {
                return v;
            }
        }
        for (Map.Entry<String, Node<T>> w : wildcardHosts) {
            if (host.endsWith(w.getKey()) && host.length() > w.getKey().length()) {
                T v = w.getValue().longestPrefix(path);
                if (v != null) {
                    return v;
                }
            }
        }
        return anyHost == null ? null : anyHost.longestPrefix(path);
    }

    /** Collects routes; {@link #build()} compiles them. */
    public static final class Builder<T> {
        private final Map<String, Node<T>> exact = new HashMap<>();
        private final Map<String, Node<T>> wildcard = new HashMap<>();
        private Node<T> any;

        /**
         * Adds a route.
         *
         * @param hostPattern lower-case {@code host}, {@code *.domain} or {@code *}
         * @param pathPrefix {@code /} or {@code /a/b} without trailing slash
         * @throws IllegalArgumentException when the same host and prefix are added twice
         */
        public Builder<T> add(String hostPattern, String pathPrefix, T value) {
            Node<T> root;
            if (hostPattern.equals("*")) {
                root = any == null ? (any = new Node<>()) : any;
            } else if (hostPattern.startsWith("*.")) {
                root = wildcard.computeIfAbsent(hostPattern.substring(1), k -> new Node<>());
            } else {
                root = exact.computeIfAbsent(hostPattern, k -> new Node<>());
            }
            Node<T> n = root;
            for (String segment : segments(pathPrefix)) {
                n = n.children.computeIfAbsent(segment, k -> new Node<>());
            }
            if (n.value != null) {
                throw new IllegalArgumentException("duplicate route for " + hostPattern + " " + pathPrefix);
            }
            n.value = value;
            return this;
        }

        public Router<T> build() {
            List<Map.Entry<String, Node<T>>> w = new ArrayList<>(wildcard.entrySet());
            w.sort(Comparator.comparingInt(
                            (Map.Entry<String, Node<T>> e) -> e.getKey().length())
                    .reversed());
            return new Router<>(Map.copyOf(exact), List.copyOf(w), any);
        }
    }

    private static List<String> segments(String path) {
        List<String> out = new ArrayList<>();
        int start = 1;
        while (start <= path.length()) {
            int slash = path.indexOf('/', start);
            int end = slash < 0 ? path.length() : slash;
            if (end > start) {
                out.add(path.substring(start, end));
            }
            start = end + 1;
        }
        return out;
    }

    private static final class Node<T> {
        final Map<String, Node<T>> children = new HashMap<>();
        T value;

        /** Walks the path segment by segment without allocating, remembering the deepest node with a route. */
        T longestPrefix(String path) {
            Node<T> n = this;
            T best = n.value;
            int len = path.length();
            int start = 1;
            while (start < len) {
                int slash = path.indexOf('/', start);
                int end = slash < 0 ? len : slash;
                if (end > start) {
                    Node<T> next = n.child(path, start, end);
                    if (next == null) {
                        break;
                    }
                    n = next;
                    if (n.value != null) {
                        best = n.value;
                    }
                }
                start = end + 1;
            }
            return best;
        }

        private Node<T> child(String path, int start, int end) {
            if (children.size() > 8) {
                // Wide levels (many routes under one prefix): one hash lookup beats a scan.
                return children.get(path.substring(start, end));
            }
            // Narrow levels, the common case: scanning avoids a substring per segment.
            for (Map.Entry<String, Node<T>> e : children.entrySet()) {
                String k = e.getKey();
                if (k.length() == end - start && path.regionMatches(start, k, 0, k.length())) {
                    return e.getValue();
                }
            }
            return null;
        }
    }
}
