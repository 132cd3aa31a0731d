package io.bulwark.api.config;

import static java.util.Objects.requireNonNull;

/**
 * A place in a config source.
 *
 * @param source the file name (or another label such as {@code <inline>})
 * @param line 1-based line, 0 when unknown
 * @param column 1-based column, 0 when unknown
 */
public record Location(String source, int line, int column) {
    public Location {
        requireNonNull(source, "source");
    }

    @Override
    public String toString() {
        return line > 0 ? source + ":" + line + ":" + column : source;
    }
}
