package io.bulwark.gateway.observe;

import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries traffic events from the event loops to listeners on one background thread. The queue is bounded: when
 * it is full, events are dropped and counted, and requests are never slowed down.
 */
public final class EventDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final int BATCH = 256;

    private final BlockingQueue<TrafficEvent> queue;
    private final List<TrafficListener> listeners = new CopyOnWriteArrayList<>();
    private final Counter dropped;
    private final Thread thread;
    private volatile boolean running = true;

    public EventDispatcher(int capacity, Counter dropped) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.dropped = dropped;
        this.thread = Thread.ofPlatform().name("bulwark-events").daemon(true).unstarted(this::run);
        thread.start();
    }

    public void addListener(TrafficListener listener) {
        listeners.add(listener);
    }

    public void removeListener(TrafficListener listener) {
        listeners.remove(listener);
    }

    /** Whether anyone consumes events; when nobody does, callers skip building them. */
    public boolean hasListeners() {
        return !listeners.isEmpty();
    }

    /** Never blocks. */
    public void publish(TrafficEvent event) {
        if (!queue.offer(event)) {
            dropped.increment();
        }
    }

    private void run() {
        List<TrafficEvent> batch = new ArrayList<>(BATCH);
        while (running || !queue.isEmpty()) {
            try {
                TrafficEvent first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, BATCH - 1);
                deliver(batch);
                batch.clear();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        queue.drainTo(batch);
        if (!batch.isEmpty()) {
            deliver(batch);
        }
        for (TrafficListener l : listeners) {
            l.close();
        }
    }

    private void deliver(List<TrafficEvent> batch) {
        for (TrafficListener l : listeners) {
            try {
                l.onEvents(batch);
            } catch (RuntimeException e) {
                LOG.error("traffic listener {} failed", l.getClass().getSimpleName(), e);
            }
        }
    }

    /** Delivers what is queued, then stops. */
    @Override
    public void close() {
        running = false;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
