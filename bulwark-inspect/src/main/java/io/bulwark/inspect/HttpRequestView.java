package io.bulwark.inspect;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;

/**
 * The parts of an HTTP request the {@link Inspector} looks at, independent of any HTTP library.
 *
 * @param method the request method
 * @param target the raw request-target: origin-form ({@code /path?query}) or absolute-form ({@code
 *     http://host/path?query}), still percent-encoded
 * @param headers the header fields in arrival order (names in any case; repeated names allowed)
 * @param contentType the {@code Content-Type} value, or null when absent
 * @param body the body bytes, possibly empty (never null); the caller bounds its size
 */
public record HttpRequestView(
        String method, String target, List<Map.Entry<String, String>> headers, String contentType, byte[] body) {
    public HttpRequestView {
        requireNonNull(method, "method");
        requireNonNull(target, "target");
        headers = List.copyOf(headers);
        body = body == null ? new byte[0] : body;
    }
}
