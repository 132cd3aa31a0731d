package io.bulwark.api;

import static java.util.Objects.requireNonNull;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One operation of the route's OpenAPI document, as compiled at config load. Policies read the operation of the
 * current request from {@link Attributes#OPERATION} and, at load, the route's operations from
 * {@link PolicyContext#operations()}.
 *
 * @param id the {@code operationId}, or {@code METHOD /template} when the spec gives none
 * @param method upper-case HTTP method
 * @param pathTemplate the path template as written in the spec, such as {@code /orders/{orderId}}
 * @param tags the operation's tags
 * @param securityAlternatives the scopes required by each alternative of the effective {@code security}
 *     requirement (operation level, else document level); the request must satisfy one alternative. An empty
 *     list means the operation requires nothing; an alternative with no scopes means "authenticated, any scope".
 * @param isPublic true when the spec explicitly opts the operation out of security ({@code security: []})
 * @param deprecated the operation's {@code deprecated} flag
 * @param extensions the operation's {@code x-} extensions as JSON values (String, Number, Boolean, List, Map)
 */
public record Operation(
        String id,
        String method,
        String pathTemplate,
        Set<String> tags,
        List<Set<String>> securityAlternatives,
        boolean isPublic,
        boolean deprecated,
        Map<String, Object> extensions) {
    public Operation {
        requireNonNull(id, "id");
        requireNonNull(method, "method");
        requireNonNull(pathTemplate, "pathTemplate");
        tags = Set.copyOf(tags);
        securityAlternatives = securityAlternatives.stream().map(Set::copyOf).toList();
        extensions = Map.copyOf(extensions);
    }

    /** The value of an {@code x-} extension, or null. */
    public Object extension(String name) {
        return extensions.get(name);
    }

    /** True when the extension is present and is the boolean {@code true}. */
    public boolean flag(String name) {
        return Boolean.TRUE.equals(extensions.get(name));
    }
}
