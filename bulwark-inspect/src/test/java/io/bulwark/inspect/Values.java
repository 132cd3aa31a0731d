package io.bulwark.inspect;

import java.util.ArrayList;
import java.util.List;

/** Builds inspected values and runs a detector on them, for the detector tests. */
final class Values {
    private Values() {}

    static InspectedValue value(Location.Source source, String name, String raw) {
        return new InspectedValue(raw, List.of(raw), Location.of(source, name), false);
    }

    static InspectedValue key(Location.Source source, String raw) {
        return new InspectedValue(raw, List.of(raw), Location.of(source, raw), true);
    }

    static InspectedValue query(String raw) {
        return value(Location.Source.QUERY, "q", raw);
    }

    static InspectedValue header(String name, String raw) {
        return value(Location.Source.HEADER, name, raw);
    }

    static InspectedValue body(String raw) {
        return value(Location.Source.BODY, "", raw);
    }

    static List<Finding> run(Detector detector, InspectedValue value) {
        List<Finding> out = new ArrayList<>();
        detector.inspect(value, out::add);
        for (Finding f : out) {
            if (f.category() != detector.category()) {
                throw new AssertionError("wrong category: " + f);
            }
        }
        return out;
    }

    /** The lowest paranoia at which the detector flags the value, or 0 when it does not. */
    static int level(Detector detector, InspectedValue value) {
        return run(detector, value).stream().mapToInt(Finding::paranoia).min().orElse(0);
    }
}
