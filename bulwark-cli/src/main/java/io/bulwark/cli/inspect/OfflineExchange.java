package io.bulwark.cli.inspect;

import io.bulwark.api.AttributeKey;
import io.bulwark.api.Body;
import io.bulwark.api.Exchange;
import io.bulwark.api.Headers;
import io.bulwark.api.ResponseHead;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A captured request as an {@link Exchange}, in memory, for running a policy offline. No response phase. */
final class OfflineExchange implements Exchange {
    private final CapturedRequest request;
    private final MapHeaders headers;
    private final Map<AttributeKey<?>, Object> attributes = new HashMap<>();

    OfflineExchange(CapturedRequest request) {
        this.request = request;
        this.headers = new MapHeaders();
        for (Map.Entry<String, String> h : request.headers()) {
            headers.add(h.getKey(), h.getValue());
        }
    }

    @Override
    public String requestId() {
        return "inspect";
    }

    @Override
    public String routeId() {
        return "inspect";
    }

    @Override
    public String method() {
        return request.method();
    }

    @Override
    public String scheme() {
        return request.target().startsWith("https://") ? "https" : "http";
    }

    @Override
    public String host() {
        String host = headers.get("Host");
        if (host == null) {
            return "";
        }
        int colon = host.lastIndexOf(':');
        if (colon > 0 && !host.endsWith("]")) {
            host = host.substring(0, colon);
        }
        return host.toLowerCase(Locale.ROOT);
    }

    @Override
    public String path() {
        return request.path();
    }

    @Override
    public String query() {
        return request.query();
    }

    @Override
    public Headers requestHeaders() {
        return headers;
    }

    @Override
    public String clientIp() {
        return "127.0.0.1";
    }

    @Override
    public long requestContentLength() {
        return request.body().length;
    }

    @Override
    public ResponseHead response() {
        return null;
    }

    @Override
    public <T> Optional<T> attribute(AttributeKey<T> key) {
        return Optional.ofNullable(key.type().cast(attributes.get(key)));
    }

    @Override
    public <T> void attribute(AttributeKey<T> key, T value) {
        if (value == null) {
            attributes.remove(key);
        } else {
            attributes.put(key, value);
        }
    }

    /** The request body, read only in effect: a replacement is kept but goes nowhere. */
    Body body() {
        return new Body() {
            private byte[] bytes = request.body();

            @Override
            public byte[] bytes() {
                return bytes;
            }

            @Override
            public String contentType() {
                return headers.get("Content-Type");
            }

            @Override
            public void replace(byte[] replacement) {
                bytes = replacement == null ? new byte[0] : replacement;
            }
        };
    }

    /** Header fields keyed by lower-case name, in first-seen order; the name keeps its first spelling. */
    private static final class MapHeaders implements Headers {
        private final Map<String, String> spelling = new LinkedHashMap<>();
        private final Map<String, List<String>> values = new LinkedHashMap<>();

        private static String key(String name) {
            return name.toLowerCase(Locale.ROOT);
        }

        @Override
        public String get(String name) {
            List<String> v = values.get(key(name));
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        @Override
        public List<String> getAll(String name) {
            List<String> v = values.get(key(name));
            return v == null ? List.of() : List.copyOf(v);
        }

        @Override
        public boolean contains(String name) {
            return values.containsKey(key(name));
        }

        @Override
        public Set<String> names() {
            return new LinkedHashSet<>(spelling.values());
        }

        @Override
        public Headers set(String name, String value) {
            remove(name);
            return add(name, value);
        }

        @Override
        public Headers add(String name, String value) {
            String k = key(name);
            spelling.putIfAbsent(k, name);
            values.computeIfAbsent(k, x -> new ArrayList<>(1)).add(value);
            return this;
        }

        @Override
        public Headers remove(String name) {
            String k = key(name);
            spelling.remove(k);
            values.remove(k);
            return this;
        }
    }
}
