package io.bulwark.gateway.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The access log: one JSON object per request.
 *
 * @param enabled whether it is written
 * @param file the file to append to, or null for standard output
 * @param includeHeaders request headers to record (lower case); secret headers are always redacted
 * @param secretHeaders extra header names whose values are never recorded (lower case)
 */
public record AccessLogConfig(boolean enabled, Path file, List<String> includeHeaders, List<String> secretHeaders) {
    public static final List<String> ALWAYS_SECRET =
            List.of("authorization", "proxy-authorization", "cookie", "set-cookie", "x-api-key");

    public AccessLogConfig {
        includeHeaders = List.copyOf(includeHeaders);
        secretHeaders = List.copyOf(secretHeaders);
    }

    /** Whether the value of this (lower-case) header must never be written. */
    public boolean isSecret(String lowerCaseName) {
        return ALWAYS_SECRET.contains(lowerCaseName) || secretHeaders.contains(lowerCaseName);
    }
}
