package io.bulwark.api.config;

import static java.util.Objects.requireNonNull;

/**
 * One problem in a config file: where, which key, what was found and what was expected.
 *
 * @param location where the offending value (or key) starts
 * @param key the dotted path of the key, such as {@code routes[0].upstream}
 * @param found what the file holds there, already made safe to print (secrets are never echoed)
 * @param expected what would have been accepted
 */
public record ConfigError(Location location, String key, String found, String expected) {
    public ConfigError {
        requireNonNull(location, "location");
        requireNonNull(key, "key");
        requireNonNull(found, "found");
        requireNonNull(expected, "expected");
    }

    /** {@code file:line:column: key: found X (expected: Y)}. */
    public String message() {
        return location + ": " + (key.isEmpty() ? "<root>" : key) + ": found " + found + " (expected: " + expected
                + ")";
    }

    @Override
    public String toString() {
        return message();
    }
}
