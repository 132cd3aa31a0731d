package io.bulwark.inspect;

import java.util.List;

/** The built-in detectors, listed by hand so that no reflection or service loading is needed. */
public final class Detectors {
    private Detectors() {}

    /** A new instance of every built-in detector. */
    public static List<Detector> builtIn() {
        // ===== The single place that lists the built-in detectors: add new ones here, one line each. =====
        return List.of(
                new SqliDetector(),
                new XssDetector(),
                new CmdiDetector(),
                new LfiDetector(),
                new SstiDetector(),
                new SsrfDetector(),
                new NoSqlDetector(),
                new XxeDetector(),
                new JndiDetector(),
                new ProtocolDetector(),
                new PrototypePollutionDetector());
    }
}
