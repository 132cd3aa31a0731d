package io.bulwark.policies.openapi;

import java.util.Map;

/**
 * The {@code openapi} settings.
 *
 * @param monitor the route's mode: true for {@code monitor} (report, let through), false for {@code enforce}
 * @param operationModes per operation id, the mode that replaces the route's (true for monitor)
 * @param denyUnknownProperties refuse body properties the schema does not declare (unless it allows them)
 * @param limits structural limits on JSON bodies, applied whatever the spec says
 */
record OpenApiConfig(
        boolean monitor, Map<String, Boolean> operationModes, boolean denyUnknownProperties, Limits limits) {
    OpenApiConfig {
        operationModes = Map.copyOf(operationModes);
        if (limits == null) {
            throw new IllegalArgumentException("limits: null (expected: limits)");
        }
    }

    /** Whether an operation runs in monitor mode. */
    boolean monitors(String operationId) {
        return operationModes.getOrDefault(operationId, monitor);
    }

    /**
     * Structural limits on JSON request bodies.
     *
     * @param maxDepth the deepest nesting of arrays and objects
     * @param maxArrayItems the most items of one array
     * @param maxStringLength the longest string (values and property names), in characters
     * @param maxProperties the most properties of one object
     */
    record Limits(int maxDepth, int maxArrayItems, int maxStringLength, int maxProperties) {
        static final Limits DEFAULT = new Limits(32, 1000, 10_000, 1000);

        Limits {
            positive("maxDepth", maxDepth);
            positive("maxArrayItems", maxArrayItems);
            positive("maxStringLength", maxStringLength);
            positive("maxProperties", maxProperties);
        }

        private static void positive(String name, int v) {
            if (v <= 0) {
                throw new IllegalArgumentException(name + ": " + v + " (expected: > 0)");
            }
        }
    }
}
