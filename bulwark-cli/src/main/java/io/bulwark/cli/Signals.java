package io.bulwark.cli;

import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** SIGHUP handling; the JDK has no public API for it, so this uses {@code sun.misc.Signal} where available. */
final class Signals {
    private Signals() {}

    static void onHangup(Runnable action) {
        try {
            Signal.handle(new Signal("HUP"), s -> action.run());
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LoggerFactory.getLogger(Signals.class)
                    .warn("SIGHUP not available here; reload with POST /admin/api/reload");
        }
    }
}
