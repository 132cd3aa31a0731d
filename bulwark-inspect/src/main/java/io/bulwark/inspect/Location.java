package io.bulwark.inspect;

import static java.util.Objects.requireNonNull;

/**
 * Where an inspected value was found. {@link #toString()} is the form reports show: {@code query.id},
 * {@code header.User-Agent}, {@code path.orderId}, {@code json./items/0/name}, {@code form.comment}.
 *
 * @param source the part of the request
 * @param name the parameter or header name, or the JSON pointer; empty for the path and a raw body
 */
public record Location(Source source, String name) {
    /** The parts of a request a value can come from. */
    public enum Source {
        PATH("path"),
        QUERY("query"),
        HEADER("header"),
        COOKIE("cookie"),
        JSON("json"),
        FORM("form"),
        MULTIPART("multipart"),
        XML("xml"),
        BODY("body");

        private final String prefix;

        Source(String prefix) {
            this.prefix = prefix;
        }

        public String prefix() {
            return prefix;
        }
    }

    public Location {
        requireNonNull(source, "source");
        requireNonNull(name, "name");
    }

    public static Location of(Source source, String name) {
        return new Location(source, name);
    }

    @Override
    public String toString() {
        return name.isEmpty() ? source.prefix : source.prefix + "." + name;
    }
}
