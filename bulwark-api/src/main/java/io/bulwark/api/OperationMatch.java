package io.bulwark.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;

/**
 * The OpenAPI operation a request matched, published by the gateway under {@link Attributes#OPERATION} before the
 * chain runs.
 *
 * @param operation the matched operation
 * @param pathParameters the template's parameters, percent-decoded (UTF-8), keyed by the template's names
 */
public record OperationMatch(Operation operation, Map<String, String> pathParameters) {
    public OperationMatch {
        requireNonNull(operation, "operation");
        pathParameters = Map.copyOf(pathParameters);
    }
}
