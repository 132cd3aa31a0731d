package io.bulwark.gateway.config;

import static java.util.Objects.requireNonNull;

import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.OperationMatcher;
import java.nio.file.Path;

/**
 * A route's OpenAPI document and its compiled matcher. The gateway matches each request's upstream path (after
 * {@code strip_prefix}) against it and publishes the operation before the chain runs.
 *
 * @param file the document's file
 * @param document the parsed document
 * @param matcher the compiled operation matcher, below the configured or the document's base path
 */
public record RouteOpenApi(Path file, OpenApiDocument document, OperationMatcher matcher) {
    public RouteOpenApi {
        requireNonNull(file, "file");
        requireNonNull(document, "document");
        requireNonNull(matcher, "matcher");
    }
}
