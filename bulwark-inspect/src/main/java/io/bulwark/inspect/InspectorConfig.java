package io.bulwark.inspect;

import static java.util.Objects.requireNonNull;

import java.util.EnumSet;
import java.util.Set;

/**
 * How the {@link Inspector} works.
 *
 * @param paranoia 1 (near-certain attacks only) to 4 (most aggressive); findings above it are dropped
 * @param categories the categories to report; detectors of other categories do not run
 * @param maxValueLength the longest value inspected, in chars; longer values are inspected on a prefix and the
 *     report says it was truncated
 * @param maxJsonDepth the deepest JSON nesting followed; deeper content is not inspected (report truncated)
 * @param maxValues the most values taken from one request; the rest are not inspected (report truncated)
 */
public record InspectorConfig(
        int paranoia, Set<Category> categories, int maxValueLength, int maxJsonDepth, int maxValues) {
    public static final int DEFAULT_MAX_VALUE_LENGTH = 64 * 1024;

    public InspectorConfig {
        if (paranoia < 1 || paranoia > 4) {
            throw new IllegalArgumentException("paranoia: " + paranoia + " (expected: 1..4)");
        }
        requireNonNull(categories, "categories");
        categories = categories.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(categories));
        if (maxValueLength < 16) {
            throw new IllegalArgumentException("maxValueLength: " + maxValueLength + " (expected: >= 16)");
        }
        if (maxJsonDepth < 1) {
            throw new IllegalArgumentException("maxJsonDepth: " + maxJsonDepth + " (expected: > 0)");
        }
        if (maxValues < 1) {
            throw new IllegalArgumentException("maxValues: " + maxValues + " (expected: > 0)");
        }
    }

    /** Paranoia 1, every category, 64 KiB values, JSON depth 64, 10,000 values. */
    public static InspectorConfig defaults() {
        return new InspectorConfig(1, EnumSet.allOf(Category.class), DEFAULT_MAX_VALUE_LENGTH, 64, 10_000);
    }

    /** This config with another paranoia level. */
    public InspectorConfig withParanoia(int level) {
        return new InspectorConfig(level, categories, maxValueLength, maxJsonDepth, maxValues);
    }
}
