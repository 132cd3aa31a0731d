package io.bulwark.gateway.observe;

import java.util.List;

/** Receives traffic events on the dispatcher thread, off the request path; may do I/O. */
public interface TrafficListener {
    /** A batch of events in arrival order. */
    void onEvents(List<TrafficEvent> events);

    /** Called once when the dispatcher stops, after the last batch. */
    default void close() {}
}
