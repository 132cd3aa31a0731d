package io.bulwark.policies.openapi;

import io.bulwark.api.ErrorKey;
import java.util.Map;

/**
 * One thing the request does that its contract does not allow.
 *
 * @param key the error key
 * @param detail safe text for the client and the log: names, pointers and keywords, never values
 * @param headers extra response headers ({@code Allow} for 405)
 */
record Violation(ErrorKey key, String detail, Map<String, String> headers) {
    Violation(ErrorKey key, String detail) {
        this(key, detail, Map.of());
    }
}
