package io.bulwark.inspect;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One value handed to the detectors: the raw text as it arrived, its normalised forms (decoded, entity-expanded,
 * Unicode-folded; see {@code Normalizer}), and where it came from.
 *
 * @param raw the value as received (after the transport's own decoding, such as one round of URL decoding of a
 *     query parameter)
 * @param forms the distinct normalised forms to inspect, raw first; bounded in number and length
 * @param location where the value was
 * @param isKey true when the value is a name (a JSON key, a query parameter name) rather than a value: NoSQL
 *     operator and prototype pollution detectors look at keys, most others at values
 */
public record InspectedValue(String raw, List<String> forms, Location location, boolean isKey) {
    public InspectedValue {
        requireNonNull(raw, "raw");
        requireNonNull(location, "location");
        forms = List.copyOf(forms);
        if (forms.isEmpty()) {
            throw new IllegalArgumentException("forms: [] (expected: at least the raw value)");
        }
    }
}
