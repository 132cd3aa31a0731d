package io.bulwark.inspect;

import java.util.function.Consumer;

/**
 * Recognises one category of attack in single values. Detectors are stateless, thread-safe and bounded: their
 * work is at most linear in the value's length (no backtracking regular expression on the value), whatever the
 * input.
 *
 * <p>A detector reports every finding at the lowest paranoia level at which it should count ({@link
 * Finding#paranoia()}): level 1 findings are near-certain attacks, higher levels trade false positives for
 * recall. The inspector filters by the configured level.
 */
public interface Detector {
    /** The category this detector reports. */
    Category category();

    /** Inspects one value (all its normalised forms) and reports findings; reports at most one per form. */
    void inspect(InspectedValue value, Consumer<Finding> findings);
}
