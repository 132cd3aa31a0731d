package io.bulwark.policies.headers;

import java.util.List;
import java.util.Map;

/**
 * Validated header rewrites.
 *
 * @param requestSet headers set (replaced) on the request sent upstream
 * @param requestRemove headers removed from the request sent upstream
 * @param responseSet headers set (replaced) on every response
 * @param responseSetIfAbsent headers set on responses that do not carry them already
 * @param responseRemove headers removed from every response
 */
record HeadersConfig(
        Map<String, String> requestSet,
        List<String> requestRemove,
        Map<String, String> responseSet,
        Map<String, String> responseSetIfAbsent,
        List<String> responseRemove) {
    HeadersConfig {
        // Ordered copies: the order headers are applied in must not change between JVM starts.
        requestSet = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(requestSet));
        requestRemove = List.copyOf(requestRemove);
        responseSet = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(responseSet));
        responseSetIfAbsent = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(responseSetIfAbsent));
        responseRemove = List.copyOf(responseRemove);
    }
}
