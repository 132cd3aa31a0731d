package io.bulwark.openapi.response;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of {@link ResponseFilter#filter}: either the filtered body with what was removed, or why the body
 * could not be filtered (the caller then fails closed). Details never contain body content.
 */
public final class FilterResult {
    /** At most this many removed pointers are listed; {@link #removedCount()} counts them all. */
    public static final int MAX_LISTED = 100;

    /** Why a body was refused. */
    public enum Problem {
        /** Not a single well-formed JSON value (including an empty body or trailing content). */
        MALFORMED,
        /** Larger than {@link FilterLimits#maxBytes()}. */
        TOO_LARGE,
        /** Nested deeper than {@link FilterLimits#maxDepth()}. */
        TOO_DEEP,
        /** An object holds the same key twice: parsers disagree on which one wins. */
        DUPLICATE_KEY,
        /** A number, string or name beyond the parser's limits. */
        VALUE_TOO_LONG
    }

    private final byte[] body;
    private final List<String> removed;
    private final int removedCount;
    private final Problem problem;
    private final String detail;

    private FilterResult(byte[] body, List<String> removed, int removedCount, Problem problem, String detail) {
        this.body = body;
        this.removed = removed;
        this.removedCount = removedCount;
        this.problem = problem;
        this.detail = detail;
    }

    static FilterResult filtered(byte[] body, List<String> removed, int removedCount) {
        return new FilterResult(body, List.copyOf(removed), removedCount, null, null);
    }

    static FilterResult refused(Problem problem, String detail) {
        return new FilterResult(null, List.of(), 0, problem, detail);
    }

    /** True when the body was filtered; false when it was refused (see {@link #problem()}). */
    public boolean valid() {
        return problem == null;
    }

    /** Why the body was refused; empty when it was filtered. */
    public Optional<Problem> problem() {
        return Optional.ofNullable(problem);
    }

    /** A short, safe description of the problem (a limit, a byte offset), or "" when valid. */
    public String detail() {
        return detail == null ? "" : detail;
    }

    /**
     * The body to send: the input array itself when nothing was removed (byte for byte), otherwise the compact
     * re-serialisation of what remains. Not copied: do not modify it.
     *
     * @throws IllegalStateException when the body was refused
     */
    public byte[] body() {
        if (body == null) {
            throw new IllegalStateException("the body was refused: " + problem);
        }
        return body;
    }

    /** True when something was removed. */
    public boolean changed() {
        return removedCount > 0;
    }

    /** JSON pointers of the removed properties, in body order, at most {@link #MAX_LISTED}. */
    public List<String> removed() {
        return removed;
    }

    /** How many properties were removed, listed or not. */
    public int removedCount() {
        return removedCount;
    }

    @Override
    public String toString() {
        return valid()
                ? "FilterResult[removed=" + removedCount + " " + removed + "]"
                : "FilterResult[" + problem + ": " + detail + "]";
    }
}
