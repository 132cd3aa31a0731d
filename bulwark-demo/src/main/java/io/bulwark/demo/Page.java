package io.bulwark.demo;

import java.util.List;

/**
 * One page of a list.
 *
 * @param total how many elements the whole list has, so a client knows when to stop paging
 */
record Page<T>(List<T> items, int total, int limit, int offset) {

    Page {
        items = List.copyOf(items);
    }

    /** The page of {@code all} starting at {@code offset} with at most {@code limit} elements. */
    static <T> Page<T> of(List<T> all, int limit, int offset) {
        if (limit < 1 || offset < 0) {
            throw new IllegalArgumentException("limit must be >= 1 and offset >= 0, got " + limit + ", " + offset);
        }
        int from = Math.min(offset, all.size());
        int to = (int) Math.min((long) from + limit, all.size());
        return new Page<>(all.subList(from, to), all.size(), limit, offset);
    }
}
