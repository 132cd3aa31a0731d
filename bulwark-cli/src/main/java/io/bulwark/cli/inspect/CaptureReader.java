package io.bulwark.cli.inspect;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads captured requests one at a time, so a large capture never sits in memory whole. Formats: {@code http} (raw
 * HTTP/1.1 requests one after the other), {@code jsonl} (one JSON object a line) and {@code har} (HAR 1.2).
 * Every size is bounded: a request line or header block over 64 KiB, or a body over {@link #MAX_BODY}, is a
 * format error naming the request.
 */
public final class CaptureReader {
    /** The formats {@code --format} accepts. */
    public enum Format {
        HTTP,
        JSONL,
        HAR
    }

    static final int MAX_HEAD = 64 * 1024;
    static final int MAX_BODY = 16 * 1024 * 1024;
    private static final int MAX_LINE = MAX_BODY * 2;

    private final ObjectMapper mapper;

    public CaptureReader() {
        JsonFactory json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(MAX_LINE)
                        .build())
                .build();
        this.mapper = new ObjectMapper(json);
    }

    /** Reads every request of {@code in}, in order, handing each to {@code sink}. */
    public void read(InputStream in, Format format, Consumer<CapturedRequest> sink)
            throws IOException, CaptureFormatException {
        switch (format) {
            case HTTP -> readHttp(new BufferedInputStream(in, 64 * 1024), sink);
            case JSONL -> readJsonl(new BufferedInputStream(in, 64 * 1024), sink);
            case HAR -> readHar(in, sink);
        }
    }

    // ---- http

    private static void readHttp(InputStream in, Consumer<CapturedRequest> sink)
            throws IOException, CaptureFormatException {
        int index = 0;
        while (true) {
            String requestLine = line(in, index);
            while (requestLine != null && requestLine.isEmpty()) {
                requestLine = line(in, index); // blank lines between requests
            }
            if (requestLine == null) {
                return;
            }
            String[] parts = requestLine.split(" ", -1);
            if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || !parts[2].startsWith("HTTP/")) {
                throw new CaptureFormatException(
                        "request " + index + ": not a request line (expected: METHOD TARGET HTTP/1.1)");
            }
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            int headBytes = requestLine.length();
            long contentLength = 0;
            boolean chunked = false;
            while (true) {
                String h = line(in, index);
                if (h == null) {
                    throw new CaptureFormatException("request " + index + ": the input ends inside the headers");
                }
                if (h.isEmpty()) {
                    break;
                }
                headBytes += h.length() + 2;
                if (headBytes > MAX_HEAD) {
                    throw new CaptureFormatException("request " + index + ": headers over " + MAX_HEAD + " bytes");
                }
                int colon = h.indexOf(':');
                if (colon <= 0) {
                    throw new CaptureFormatException("request " + index + ": a header line without a name");
                }
                String name = h.substring(0, colon).strip();
                String value = h.substring(colon + 1).strip();
                headers.add(new AbstractMap.SimpleImmutableEntry<>(name, value));
                if (name.equalsIgnoreCase("Content-Length")) {
                    try {
                        contentLength = Long.parseLong(value);
                    } catch (NumberFormatException e) {
                        throw new CaptureFormatException("request " + index + ": Content-Length is not a number");
                    }
                    if (contentLength < 0 || contentLength > MAX_BODY) {
                        throw new CaptureFormatException(
                                "request " + index + ": Content-Length " + value + " (expected: 0.." + MAX_BODY + ")");
                    }
                } else if (name.equalsIgnoreCase("Transfer-Encoding")
                        && value.toLowerCase(java.util.Locale.ROOT).contains("chunked")) {
                    chunked = true;
                }
            }
            byte[] body = chunked ? chunkedBody(in, index) : in.readNBytes((int) contentLength);
            if (!chunked && body.length < contentLength) {
                throw new CaptureFormatException("request " + index + ": the input ends inside the body");
            }
            sink.accept(new CapturedRequest(parts[0], parts[1], headers, body));
            index++;
        }
    }

    private static byte[] chunkedBody(InputStream in, int index) throws IOException, CaptureFormatException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(in, index);
            if (sizeLine == null) {
                throw new CaptureFormatException("request " + index + ": the input ends inside a chunked body");
            }
            int semi = sizeLine.indexOf(';');
            String hex = (semi < 0 ? sizeLine : sizeLine.substring(0, semi)).strip();
            int size;
            try {
                size = Integer.parseInt(hex, 16);
            } catch (NumberFormatException e) {
                throw new CaptureFormatException("request " + index + ": a chunk size that is not hexadecimal");
            }
            if (size < 0 || out.size() + (long) size > MAX_BODY) {
                throw new CaptureFormatException("request " + index + ": body over " + MAX_BODY + " bytes");
            }
            if (size == 0) {
                String trailer;
                do {
                    trailer = line(in, index);
                } while (trailer != null && !trailer.isEmpty());
                return out.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size) {
                throw new CaptureFormatException("request " + index + ": the input ends inside a chunk");
            }
            out.write(chunk);
            line(in, index); // the CRLF after the chunk
        }
    }

    /** One line without its CRLF or LF, or null at the end of the input. */
    private static String line(InputStream in, int index) throws IOException, CaptureFormatException {
        ByteArrayOutputStream b = new ByteArrayOutputStream(128);
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                break;
            }
            if (b.size() >= MAX_HEAD) {
                throw new CaptureFormatException("request " + index + ": a line over " + MAX_HEAD + " bytes");
            }
            b.write(c);
        }
        if (c < 0 && b.size() == 0) {
            return null;
        }
        byte[] bytes = b.toByteArray();
        int n = bytes.length;
        if (n > 0 && bytes[n - 1] == '\r') {
            n--;
        }
        return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
    }

    // ---- jsonl

    private void readJsonl(InputStream in, Consumer<CapturedRequest> sink) throws IOException, CaptureFormatException {
        int index = 0;
        int lineNo = 0;
        while (true) {
            ByteArrayOutputStream b = new ByteArrayOutputStream(512);
            int c;
            while ((c = in.read()) >= 0 && c != '\n') {
                if (b.size() >= MAX_LINE) {
                    throw new CaptureFormatException("line " + (lineNo + 1) + ": longer than " + MAX_LINE + " bytes");
                }
                b.write(c);
            }
            lineNo++;
            if (c < 0 && b.size() == 0) {
                return;
            }
            String text = b.toString(StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                continue;
            }
            JsonNode node;
            try {
                node = mapper.readTree(text);
            } catch (IOException e) {
                throw new CaptureFormatException("line " + lineNo + ": not a JSON object");
            }
            sink.accept(fromJson(node, "line " + lineNo));
            index++;
        }
    }

    private static CapturedRequest fromJson(JsonNode node, String where) throws CaptureFormatException {
        if (node == null || !node.isObject()) {
            throw new CaptureFormatException(where + ": not a JSON object");
        }
        String method = text(node, "method", where);
        String url = text(node, "url", where);
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        JsonNode h = node.get("headers");
        if (h != null && h.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getValue().isArray()) {
                    for (JsonNode v : e.getValue()) {
                        headers.add(new AbstractMap.SimpleImmutableEntry<>(e.getKey(), v.asText()));
                    }
                } else {
                    headers.add(new AbstractMap.SimpleImmutableEntry<>(
                            e.getKey(), e.getValue().asText()));
                }
            }
        } else if (h != null && h.isArray()) {
            for (JsonNode e : h) {
                if (!e.has("name")) {
                    throw new CaptureFormatException(where + ": a header without a name");
                }
                headers.add(new AbstractMap.SimpleImmutableEntry<>(
                        e.get("name").asText(), e.path("value").asText("")));
            }
        } else if (h != null && !h.isNull()) {
            throw new CaptureFormatException(where + ": headers must be an object or a list of {name, value}");
        }
        byte[] body = new byte[0];
        JsonNode b = node.get("body");
        if (b != null && !b.isNull()) {
            body = b.isTextual()
                    ? b.asText().getBytes(StandardCharsets.UTF_8)
                    : b.toString().getBytes(StandardCharsets.UTF_8);
        }
        JsonNode b64 = node.get("body_base64");
        if (b64 != null && b64.isTextual()) {
            try {
                body = Base64.getDecoder().decode(b64.asText());
            } catch (IllegalArgumentException e) {
                throw new CaptureFormatException(where + ": body_base64 is not base64");
            }
        }
        if (body.length > MAX_BODY) {
            throw new CaptureFormatException(where + ": body over " + MAX_BODY + " bytes");
        }
        return new CapturedRequest(method, url, headers, body);
    }

    private static String text(JsonNode node, String field, String where) throws CaptureFormatException {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new CaptureFormatException(where + ": '" + field + "' is required (a non-empty string)");
        }
        return v.asText();
    }

    // ---- har

    private void readHar(InputStream in, Consumer<CapturedRequest> sink) throws IOException, CaptureFormatException {
        try (JsonParser p = mapper.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new CaptureFormatException("HAR: not a JSON object");
            }
            if (!seekField(p, "log") || p.nextToken() != JsonToken.START_OBJECT) {
                throw new CaptureFormatException("HAR: no 'log' object");
            }
            if (!seekField(p, "entries") || p.nextToken() != JsonToken.START_ARRAY) {
                throw new CaptureFormatException("HAR: no 'log.entries' list");
            }
            int index = 0;
            while (p.nextToken() == JsonToken.START_OBJECT) {
                JsonNode entry = mapper.readTree(p);
                JsonNode req = entry.get("request");
                String where = "entry " + index;
                if (req == null || !req.isObject()) {
                    throw new CaptureFormatException(where + ": no 'request' object");
                }
                JsonNode post = req.get("postData");
                com.fasterxml.jackson.databind.node.ObjectNode flat = mapper.createObjectNode();
                flat.set("method", req.get("method"));
                flat.set("url", req.get("url"));
                flat.set("headers", req.get("headers"));
                if (post != null && post.has("text")) {
                    flat.set("body", post.get("text"));
                }
                sink.accept(fromJson(flat, where));
                index++;
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new CaptureFormatException(
                    "HAR: not valid JSON near line " + e.getLocation().getLineNr(), e);
        }
    }

    /** Moves to the value of {@code name} in the current object, skipping other members; false at the object's end. */
    private static boolean seekField(JsonParser p, String name) throws IOException {
        JsonToken t;
        while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
            if (p.currentName().equals(name)) {
                return true;
            }
            p.nextToken();
            p.skipChildren();
        }
        return false;
    }
}
