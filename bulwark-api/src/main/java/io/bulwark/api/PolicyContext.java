package io.bulwark.api;

import static java.util.Objects.requireNonNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a {@link PolicyFactory} may use while building a policy.
 *
 * @param configDirectory the directory of the config file; relative paths in policy config resolve against it
 * @param routeId the route the policy is built for
 * @param operations the operations of the route's OpenAPI document, empty when the route has none
 * @param environment the gateway's environment ({@code prod}, {@code staging}, ...), or null when not configured
 */
public record PolicyContext(Path configDirectory, String routeId, List<Operation> operations, String environment) {
    public PolicyContext {
        requireNonNull(configDirectory, "configDirectory");
        requireNonNull(routeId, "routeId");
        operations = List.copyOf(operations);
    }

    /** A context without an OpenAPI document or environment. */
    public PolicyContext(Path configDirectory, String routeId) {
        this(configDirectory, routeId, List.of(), null);
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
