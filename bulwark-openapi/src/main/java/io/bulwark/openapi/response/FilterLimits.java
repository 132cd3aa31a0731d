package io.bulwark.openapi.response;

/**
 * Bounds on the work {@link ResponseFilter#filter} does for one body; a body beyond them is refused, not filtered.
 *
 * @param maxBytes the largest body, in bytes
 * @param maxDepth the deepest nesting of objects and arrays
 */
public record FilterLimits(int maxBytes, int maxDepth) {
    /** The largest {@code maxDepth}: deeper nesting is no legitimate response, and the filter recurses per level. */
    public static final int MAX_DEPTH = 1000;

    /** 8 MiB, 64 levels. */
    public static final FilterLimits DEFAULTS = new FilterLimits(8 * 1024 * 1024, 64);

    public FilterLimits {
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        if (maxDepth <= 0 || maxDepth > MAX_DEPTH) {
            throw new IllegalArgumentException("maxDepth: " + maxDepth + " (expected: 1 to " + MAX_DEPTH + ")");
        }
    }
}
