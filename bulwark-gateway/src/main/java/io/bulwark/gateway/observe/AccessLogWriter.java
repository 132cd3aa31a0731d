package io.bulwark.gateway.observe;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one JSON object per request, on the dispatcher thread (file I/O never runs on an event loop). Fields:
 * {@code time, request_id, route, method, path, status, duration_us, bytes_in, bytes_out, client_ip, consumer,
 * upstream, error_key} and {@code headers} when configured.
 */
public final class AccessLogWriter implements TrafficListener {
    private static final Logger LOG = LoggerFactory.getLogger(AccessLogWriter.class);
    private static final JsonFactory JSON = new JsonFactory();

    private final OutputStream out;
    private final boolean closeStream;
    private boolean failed;

    private AccessLogWriter(OutputStream out, boolean closeStream) {
        this.out = out;
        this.closeStream = closeStream;
    }

    /** A writer appending to {@code file}, or to standard output when {@code file} is null. */
    public static AccessLogWriter open(Path file) {
        if (file == null) {
            return new AccessLogWriter(new BufferedOutputStream(System.out, 64 * 1024), false);
        }
        try {
            if (file.getParent() != null) {
                Files.createDirectories(file.getParent());
            }
            OutputStream os = Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return new AccessLogWriter(new BufferedOutputStream(os, 64 * 1024), true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open access log " + file, e);
        }
    }

    /** A writer to any stream, for tests. */
    public static AccessLogWriter to(OutputStream out) {
        return new AccessLogWriter(out, false);
    }

    @Override
    public void onEvents(List<TrafficEvent> events) {
        try {
            for (TrafficEvent e : events) {
                write(e);
            }
            out.flush();
            failed = false;
        } catch (IOException ex) {
            if (!failed) {
                // Log the first failure of a streak only: a full disk must not turn into a log storm.
                LOG.error("access log write failed: {}", ex.toString());
                failed = true;
            }
        }
    }

    private void write(TrafficEvent e) throws IOException {
        try (JsonGenerator g = JSON.createGenerator(new NonClosing(out), JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("time", Instant.ofEpochMilli(e.epochMillis()).toString());
            g.writeStringField("request_id", e.requestId());
            g.writeStringField("route", e.routeId());
            if (e.operationId() != null) {
                g.writeStringField("operation", e.operationId());
            }
            g.writeStringField("method", e.method());
            g.writeStringField("path", e.path());
            g.writeNumberField("status", e.status());
            g.writeNumberField("duration_us", e.durationMicros());
            g.writeNumberField("bytes_in", e.bytesIn());
            g.writeNumberField("bytes_out", e.bytesOut());
            g.writeStringField("client_ip", e.clientIp());
            g.writeStringField("consumer", e.consumer());
            g.writeStringField("upstream", e.upstreamTarget());
            g.writeStringField("error_key", e.errorKey());
            if (!e.monitored().isEmpty()) {
                g.writeArrayFieldStart("monitored");
                for (String k : e.monitored()) {
                    g.writeString(k);
                }
                g.writeEndArray();
            }
            if (!e.headers().isEmpty()) {
                g.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> h : e.headers().entrySet()) {
                    g.writeStringField(h.getKey(), h.getValue());
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        }
        out.write('\n');
    }

    @Override
    public void close() {
        try {
            out.flush();
            if (closeStream) {
                out.close();
            }
        } catch (IOException e) {
            LOG.warn("closing access log failed: {}", e.toString());
        }
    }

    /** Lets a generator flush into the shared stream without closing it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() {}
    }
}
