package io.bulwark.inspect;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Builds inspected values the way the tests need them: forms = [raw, URL-decoded] (when they differ). */
final class Values {
    static final Location LOCATION = Location.of(Location.Source.QUERY, "q");

    private Values() {}

    static InspectedValue of(String raw) {
        List<String> forms = new ArrayList<>(2);
        forms.add(raw);
        String decoded = urlDecode(raw);
        if (!decoded.equals(raw)) {
            forms.add(decoded);
        }
        return new InspectedValue(raw, forms, LOCATION, false);
    }

    /** One round of lenient URL decoding: '+' is a space, malformed escapes stay as they are. */
    static String urlDecode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < bytes.length; i++) {
            byte b = bytes[i];
            if (b == '+') {
                out.write(' ');
            } else if (b == '%' && i + 2 < bytes.length && hex(bytes[i + 1]) >= 0 && hex(bytes[i + 2]) >= 0) {
                out.write(hex(bytes[i + 1]) * 16 + hex(bytes[i + 2]));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    private static int hex(byte b) {
        return Character.digit((char) b, 16);
    }

    /** The findings of one detector on one raw value. */
    static List<Finding> findings(Detector detector, String raw) {
        List<Finding> found = new ArrayList<>();
        detector.inspect(of(raw), found::add);
        return found;
    }

    /** The lowest paranoia level at which the detector flags the value, or 5 when it never does. */
    static int level(Detector detector, String raw) {
        int level = 5;
        for (Finding f : findings(detector, raw)) {
            level = Math.min(level, f.paranoia());
        }
        return level;
    }

    // ---- helpers of the SSRF, NoSQL, XXE, JNDI, protocol and prototype pollution detectors

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
