package io.bulwark.cli.inspect;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request read from a capture file: what {@code bulwark inspect} replays through the detectors.
 *
 * @param method the method, upper case
 * @param target the request target: origin-form ({@code /path?query}) or absolute ({@code https://h/p?q})
 * @param headers the header fields in order
 * @param body the body bytes (empty when none)
 */
public record CapturedRequest(String method, String target, List<Map.Entry<String, String>> headers, byte[] body) {
    public CapturedRequest {
        requireNonNull(method, "method");
        requireNonNull(target, "target");
        method = method.toUpperCase(Locale.ROOT);
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }

    /** The first value of a header (case-insensitive), or null. */
    public String header(String name) {
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().equalsIgnoreCase(name)) {
                return h.getValue();
            }
        }
        return null;
    }

    /** The path of the target, without query, for reports. */
    public String path() {
        String t = target;
        int scheme = t.indexOf("://");
        if (scheme > 0) {
            int slash = t.indexOf('/', scheme + 3);
            t = slash < 0 ? "/" : t.substring(slash);
        }
        int q = t.indexOf('?');
        return q < 0 ? t : t.substring(0, q);
    }

    /** The raw query of the target, or null. */
    public String query() {
        int q = target.indexOf('?');
        return q < 0 ? null : target.substring(q + 1);
    }
}
