package io.bulwark.eval;

import static java.util.Objects.requireNonNull;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One request of a corpus, in the two forms the engines need: its parts (for the inspector) and the exact bytes to
 * put on the wire (for ModSecurity behind nginx).
 *
 * @param id a stable name for reports: {@code crs:942100.yaml#3.1}, {@code params-query:1234}
 * @param method the request method
 * @param target the request target as sent (origin form, still percent-encoded)
 * @param version the protocol in the request line, {@code HTTP/1.1}
 * @param headers the headers in order, as sent
 * @param body the body, empty when none
 * @param wire the bytes sent to a server: the raw request of a go-ftw {@code encoded_request}, or the request
 *     built from the parts
 */
public record EvalRequest(
        String id,
        String method,
        String target,
        String version,
        List<Map.Entry<String, String>> headers,
        byte[] body,
        byte[] wire) {

    public EvalRequest {
        requireNonNull(id, "id");
        requireNonNull(method, "method");
        requireNonNull(target, "target");
        requireNonNull(version, "version");
        headers = List.copyOf(headers);
        requireNonNull(body, "body");
        requireNonNull(wire, "wire");
    }

    /**
     * Builds a request from its parts. With {@code autocomplete} (go-ftw's default) a {@code Content-Length} is added
     * when a body is present and neither it nor {@code Transfer-Encoding} is set, and {@code Connection: close} when
     * no {@code Connection} header is set; without it, the headers go out exactly as given.
     */
    public static EvalRequest of(
            String id,
            String method,
            String target,
            String version,
            List<Map.Entry<String, String>> headers,
            byte[] body,
            boolean autocomplete) {
        List<Map.Entry<String, String>> hs = new ArrayList<>(headers);
        if (autocomplete) {
            if (body.length > 0 && header(hs, "content-length") == null && header(hs, "transfer-encoding") == null) {
                hs.add(Map.entry("Content-Length", Integer.toString(body.length)));
            }
            if (header(hs, "connection") == null) {
                hs.add(Map.entry("Connection", "close"));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(128 + body.length);
        StringBuilder head = new StringBuilder(128);
        head.append(method)
                .append(' ')
                .append(target)
                .append(' ')
                .append(version)
                .append("\r\n");
        for (Map.Entry<String, String> h : hs) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append("\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.writeBytes(body);
        return new EvalRequest(id, method, target, version, hs, body, out.toByteArray());
    }

    /**
     * Reads the parts of a raw request leniently (request line, header lines up to the first empty line, the rest as
     * body), keeping the raw bytes as the wire form. Malformed input still yields a request: whatever a line holds.
     */
    public static EvalRequest parseRaw(String id, byte[] raw) {
        int headEnd = indexOf(raw, new byte[] {'\r', '\n', '\r', '\n'});
        int sepLen = 4;
        int lfEnd = indexOf(raw, new byte[] {'\n', '\n'});
        if (headEnd < 0 || (lfEnd >= 0 && lfEnd < headEnd)) {
            headEnd = lfEnd;
            sepLen = 2;
        }
        String head = new String(raw, 0, headEnd < 0 ? raw.length : headEnd, StandardCharsets.ISO_8859_1);
        byte[] body = headEnd < 0 ? new byte[0] : java.util.Arrays.copyOfRange(raw, headEnd + sepLen, raw.length);
        String[] lines = head.split("\r?\n", -1);
        String[] requestLine = lines[0].split(" ", 3);
        String method = requestLine.length > 0 ? requestLine[0] : "";
        String target = requestLine.length > 1 ? requestLine[1] : "";
        String version = requestLine.length > 2 ? requestLine[2] : "";
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.add(Map.entry(
                        line.substring(0, colon).trim(),
                        line.substring(colon + 1).trim()));
            } else if (!line.isEmpty()) {
                headers.add(Map.entry(line.trim(), ""));
            }
        }
        return new EvalRequest(id, method, target, version, headers, body, raw);
    }

    /** The first header with this name (case-insensitive), or null. */
    public String header(String name) {
        return header(headers, name);
    }

    /** The Content-Type header, or null. */
    public String contentType() {
        return header("content-type");
    }

    private static String header(List<Map.Entry<String, String>> headers, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, String> h : headers) {
            if (h.getKey().toLowerCase(Locale.ROOT).equals(n)) {
                return h.getValue();
            }
        }
        return null;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @Override
    public String toString() {
        return id + " " + method + " " + target;
    }
}
