package io.bulwark.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a {@link PolicyFactory} may use while building a policy.
 *
 * @param configDirectory the directory of the config file; relative paths in policy config resolve against it
 * @param routeId the route the policy is built for
 * @param operations the operations of the route's OpenAPI document, empty when the route has none
 * @param environment the gateway's environment ({@code prod}, {@code staging}, ...), or null when not configured
 * @param resources objects the gateway built for the route, by type (the route's parsed OpenAPI document, for
 *     example, as {@code io.bulwark.openapi.OpenApiDocument}); see {@link #resource(Class)}
 */
public record PolicyContext(
        Path configDirectory,
        String routeId,
        List<Operation> operations,
        String environment,
        Map<Class<?>, Object> resources) {
    public PolicyContext {
        requireNonNull(configDirectory, "configDirectory");
        requireNonNull(routeId, "routeId");
        operations = List.copyOf(operations);
        resources = Map.copyOf(resources);
        for (Map.Entry<Class<?>, Object> e : resources.entrySet()) {
            if (!e.getKey().isInstance(e.getValue())) {
                throw new IllegalArgumentException(
                        "resources: " + e.getKey().getName() + " (expected: an instance of it)");
            }
        }
    }

    /** A context without resources. */
    public PolicyContext(Path configDirectory, String routeId, List<Operation> operations, String environment) {
        this(configDirectory, routeId, operations, environment, Map.of());
    }

    /** A context without an OpenAPI document or environment. */
    public PolicyContext(Path configDirectory, String routeId) {
        this(configDirectory, routeId, List.of(), null, Map.of());
    }

    /** The resource of this type the gateway built for the route, such as its parsed OpenAPI document. */
    public <T> Optional<T> resource(Class<T> type) {
        return Optional.ofNullable(type.cast(resources.get(type)));
    }

    /** The operation with this id, when the route's document has it. */
    public Optional<Operation> operation(String id) {
        for (Operation o : operations) {
            if (o.id().equals(id)) {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }

    /** The configured environment, when there is one. */
    public Optional<String> environmentName() {
        return Optional.ofNullable(environment);
    }
}
