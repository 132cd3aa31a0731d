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
        requestSet = Map.copyOf(requestSet);
        requestRemove = List.copyOf(requestRemove);
        responseSet = Map.copyOf(responseSet);
        responseSetIfAbsent = Map.copyOf(responseSetIfAbsent);
        responseRemove = List.copyOf(responseRemove);
    }
}
