package io.bulwark.api;

import java.util.ArrayList;
import java.util.List;

/**
 * What policies in monitor mode would have rejected in one exchange: the error keys, in the order reported, at
 * most {@link #MAX} (a request that breaks more rules is counted for the first ones). The gateway counts them in
 * {@code bulwark_monitored_total} and writes them to the access log. Immutable.
 *
 * @param errorKeys the error keys a policy would have answered with
 */
public record Monitored(List<String> errorKeys) {
    public static final int MAX = 16;

    public Monitored {
        errorKeys = List.copyOf(errorKeys);
    }

    /** This list with one more key (unchanged when full). */
    public Monitored with(ErrorKey key) {
        if (errorKeys.size() >= MAX) {
            return this;
        }
        List<String> next = new ArrayList<>(errorKeys.size() + 1);
        next.addAll(errorKeys);
        next.add(key.key());
        return new Monitored(next);
    }
}
