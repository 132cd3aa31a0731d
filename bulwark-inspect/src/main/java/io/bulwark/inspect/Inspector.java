package io.bulwark.inspect;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Extracts every value of a request (path segments, query and form parameters, headers, cookies, JSON strings and
 * keys, multipart parts, raw text bodies), normalises each ({@link Normalizer}) and runs the detectors on it.
 * Immutable and thread-safe; build one per config and share it.
 *
 * <p>Bounded: at most {@code maxValues} values per request, each inspected on at most {@code maxValueLength}
 * chars, JSON followed to {@code maxJsonDepth}; when a bound cuts something off, the report says {@code
 * truncated}.
 */
public final class Inspector {
    // Headers never inspected: they carry secrets (which must not end up as evidence) or opaque validators, or are
    // formulaic browser negotiation (q-values) that only produce noise. Everything else is inspected, Accept and
    // Content-Type included: header-spraying attacks (Log4Shell, OGNL in Content-Type) put payloads anywhere.
    // Cookie is parsed into COOKIE values instead. User-Agent and Referer are inspected: attackers use them.
    private static final Set<String> SKIPPED_HEADERS = Set.of(
            // Host names the gateway itself (routing already checked it): read as a value it is a loopback or
            // private address on every internal call, which the SSRF detector would flag.
            "host",
            "authorization",
            "proxy-authorization",
            "cookie",
            "set-cookie",
            "x-api-key",
            "api-key",
            "apikey",
            "x-auth-token",
            "x-access-token",
            "x-refresh-token",
            "x-csrf-token",
            "x-xsrf-token",
            "x-amz-security-token",
            "x-amz-content-sha256",
            "x-goog-iap-jwt-assertion",
            "x-hub-signature",
            "x-hub-signature-256",
            "signature",
            "signature-input",
            "x-signature",
            "x-forwarded-client-cert",
            "x-ssl-client-cert",
            "ssl-client-cert",
            "x-client-cert",
            "if-none-match",
            "if-match",
            "etag",
            "accept-encoding",
            "accept-language");

    private final InspectorConfig config;
    private final List<Detector> detectors;
    private final Normalizer normalizer;
    private final JsonFactory json;

    private Inspector(InspectorConfig config, List<Detector> detectors) {
        this.config = config;
        List<Detector> enabled = new ArrayList<>();
        for (Detector d : detectors) {
            if (config.categories().contains(d.category())) {
                enabled.add(d);
            }
        }
        this.detectors = List.copyOf(enabled);
        this.normalizer = new Normalizer(config.maxValueLength());
        this.json = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        // One past the limit, so that reaching the limit is seen and reported, not a parse error.
                        .maxNestingDepth(config.maxJsonDepth() + 1)
                        .build())
                .build();
    }

    /** An inspector with every built-in detector ({@link Detectors#builtIn()}). */
    public static Inspector create(InspectorConfig config) {
        return create(config, Detectors.builtIn());
    }

    /** An inspector with the given detectors (those whose category the config disables do not run). */
    public static Inspector create(InspectorConfig config, List<Detector> detectors) {
        requireNonNull(config, "config");
        requireNonNull(detectors, "detectors");
        return new Inspector(config, List.copyOf(detectors));
    }

    public InspectorConfig config() {
        return config;
    }

    /** Inspects a whole request. */
    public Report inspect(HttpRequestView request) {
        requireNonNull(request, "request");
        Extraction x = new Extraction(normalizer, config.maxValues());
        RequestExtractor.extract(request, x, json, config.maxJsonDepth());
        List<Finding> findings = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (Finding f : RequestExtractor.protocolFindings(request)) {
            keep(f, findings, seen);
        }
        run(x.values, findings, seen);
        return new Report(findings, x.truncated);
    }

    /** Inspects values extracted elsewhere (the gateway policy that has already parsed the request). */
    public Report inspectValues(List<InspectedValue> values) {
        requireNonNull(values, "values");
        List<Finding> findings = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean truncated = values.size() > config.maxValues();
        List<InspectedValue> bounded = truncated ? values.subList(0, config.maxValues()) : values;
        List<InspectedValue> capped = new ArrayList<>(bounded.size());
        for (InspectedValue v : bounded) {
            boolean tooLong = false;
            for (String form : v.forms()) {
                if (form.length() > config.maxValueLength()) {
                    tooLong = true;
                    break;
                }
            }
            if (tooLong) {
                // The caller's forms are not bounded by our limit: normalise again from the raw value.
                Normalizer.Normalized n = normalizer.normalize(v.raw(), false);
                capped.add(new InspectedValue(n.forms().get(0), n.forms(), v.location(), v.isKey()));
                truncated = true;
            } else {
                capped.add(v);
            }
        }
        run(capped, findings, seen);
        return new Report(findings, truncated);
    }

    private void run(List<InspectedValue> values, List<Finding> findings, Map<String, Integer> seen) {
        for (InspectedValue v : values) {
            for (Detector d : detectors) {
                d.inspect(v, f -> keep(f, findings, seen));
            }
        }
    }

    /** Keeps a finding within the configured level and categories, one per (category, location): the surest. */
    private void keep(Finding f, List<Finding> findings, Map<String, Integer> seen) {
        if (f.paranoia() > config.paranoia() || !config.categories().contains(f.category())) {
            return;
        }
        String key = f.category().wireName() + '\u0000' + f.location();
        Integer at = seen.get(key);
        if (at == null) {
            seen.put(key, findings.size());
            findings.add(f);
        } else if (f.confidence() > findings.get(at).confidence()) {
            findings.set(at, f);
        }
    }

    /** The values taken from one request, bounded in number. */
    static final class Extraction {
        final Normalizer normalizer;
        final int maxValues;
        final List<InspectedValue> values = new ArrayList<>();
        boolean truncated;

        Extraction(Normalizer normalizer, int maxValues) {
            this.normalizer = normalizer;
            this.maxValues = maxValues;
        }

        boolean full() {
            if (values.size() >= maxValues) {
                truncated = true;
                return true;
            }
            return false;
        }

        /**
         * Adds a value, normalised with {@code +} as a literal (callers form-decode once themselves). The value's
         * raw text is the possibly truncated first form, so that no detector ever works on more than the bound.
         */
        void add(String raw, Location location, boolean isKey) {
            if (raw.isEmpty() || full()) {
                return;
            }
            Normalizer.Normalized n = normalizer.normalize(raw, false);
            truncated |= n.truncated();
            values.add(new InspectedValue(n.forms().get(0), n.forms(), location, isKey));
        }
    }

    /** Request parsing; package-private for tests. */
    static final class RequestExtractor {
        private RequestExtractor() {}

        static void extract(HttpRequestView r, Extraction x, JsonFactory json, int maxDepth) {
            String target = r.target();
            int start = 0;
            int scheme = target.indexOf("://");
            if (scheme > 0 && scheme < 16 && target.indexOf('/') > scheme) {
                int slash = target.indexOf('/', scheme + 3);
                int q = target.indexOf('?', scheme + 3);
                start = slash < 0 ? (q < 0 ? target.length() : q) : (q >= 0 && q < slash ? q : slash);
            }
            int hash = target.indexOf('#', start);
            int end = hash < 0 ? target.length() : hash;
            int q = target.indexOf('?', start);
            if (q >= end) {
                q = -1;
            }
            String path = target.substring(start, q < 0 ? end : q);
            extractPath(path, x);
            if (q >= 0) {
                extractForm(target.substring(q + 1, end), Location.Source.QUERY, x);
            }
            for (Map.Entry<String, String> h : r.headers()) {
                String name = h.getKey();
                String value = h.getValue() == null ? "" : h.getValue();
                String lower = name.toLowerCase(Locale.ROOT);
                if (lower.equals("cookie")) {
                    extractCookies(value, x);
                } else if (!SKIPPED_HEADERS.contains(lower)) {
                    x.add(value, Location.of(Location.Source.HEADER, name), false);
                }
            }
            if (r.body().length > 0) {
                BodyExtractor.extract(r.contentType(), r.body(), x, json, maxDepth);
            }
        }

        /**
         * Each segment percent-decoded; and the whole decoded path once when it holds anything but unreserved
         * characters, as it may hide what no single segment shows: a traversal ({@code /a/../../etc/passwd},
         * encoded slashes, backslashes) or a payload cut by its own slashes ({@code sleep(/*x*&#47;12)}).
         */
        static void extractPath(String path, Extraction x) {
            int index = 0;
            int i = 0;
            int n = path.length();
            while (i < n && !x.full()) {
                int next = path.indexOf('/', i);
                if (next < 0) {
                    next = n;
                }
                if (next > i) {
                    x.add(Normalizer.urlDecode(path.substring(i, next), false), pathLocation(index), false);
                    index++;
                }
                i = next + 1;
            }
            if (index > 1 && !isPlainPath(path)) {
                x.add(Normalizer.urlDecode(path, false), Location.of(Location.Source.PATH, ""), false);
            }
        }

        /** Only unreserved characters and single dots: no segment boundary can hide anything. */
        private static boolean isPlainPath(String path) {
            for (int i = 0; i < path.length(); i++) {
                char c = path.charAt(i);
                boolean plain = (c >= 'a' && c <= 'z')
                        || (c >= 'A' && c <= 'Z')
                        || (c >= '0' && c <= '9')
                        || c == '/'
                        || c == '-'
                        || c == '_'
                        || c == '~'
                        || (c == '.' && (i + 1 == path.length() || path.charAt(i + 1) != '.'));
                if (!plain) {
                    return false;
                }
            }
            return true;
        }

        private static Location pathLocation(int index) {
            return Location.of(Location.Source.PATH, Integer.toString(index));
        }

        /** {@code a=b&c=d}, form-decoded once ({@code +} is a space); names are inspected as keys. */
        static void extractForm(String s, Location.Source source, Extraction x) {
            int i = 0;
            int n = s.length();
            while (i <= n && !x.full()) {
                int amp = s.indexOf('&', i);
                if (amp < 0) {
                    amp = n;
                }
                if (amp > i) {
                    int eq = s.indexOf('=', i);
                    String name;
                    String value;
                    if (eq < 0 || eq > amp) {
                        name = Normalizer.urlDecode(s.substring(i, amp), true);
                        value = "";
                    } else {
                        name = Normalizer.urlDecode(s.substring(i, eq), true);
                        value = Normalizer.urlDecode(s.substring(eq + 1, amp), true);
                    }
                    Location loc = Location.of(source, name);
                    x.add(name, loc, true);
                    x.add(value, loc, false);
                }
                i = amp + 1;
            }
        }

        /** {@code a=b; c=d}: names as keys, values as they are (the normaliser URL-decodes them). */
        static void extractCookies(String header, Extraction x) {
            for (String pair : header.split(";", 1024)) {
                if (x.full()) {
                    return;
                }
                String p = pair.strip();
                if (p.isEmpty()) {
                    continue;
                }
                int eq = p.indexOf('=');
                String name = eq < 0 ? p : p.substring(0, eq).strip();
                String value = eq < 0 ? "" : p.substring(eq + 1).strip();
                if (value.length() > 1 && value.startsWith("\"") && value.endsWith("\"")) {
                    value = value.substring(1, value.length() - 1);
                }
                Location loc = Location.of(Location.Source.COOKIE, name);
                x.add(name, loc, true);
                x.add(value, loc, false);
            }
        }

        /**
         * Attacks that no single value shows: Content-Length together with Transfer-Encoding (the request smuggling
         * precondition), disagreeing Content-Length fields, a Transfer-Encoding other than chunked, malformed
         * header names; see {@link ProtocolDetector#inspectHeaders}.
         */
        static List<Finding> protocolFindings(HttpRequestView r) {
            return ProtocolDetector.inspectHeaders(r.headers());
        }
    }

    /** Bodies by media type. */
    static final class BodyExtractor {
        private static final int MAX_PARTS = 256;

        private BodyExtractor() {}

        static void extract(String contentType, byte[] body, Extraction x, JsonFactory json, int maxDepth) {
            String media = mediaType(contentType);
            if (media.equals("application/json") || media.endsWith("+json")) {
                if (!extractJson(body, x, json, maxDepth)) {
                    // Not JSON after all: what the upstream does with it is unknown, so look at it as text.
                    x.add(utf8(body), Location.of(Location.Source.BODY, ""), false);
                }
            } else if (media.equals("application/x-www-form-urlencoded")) {
                extractForm(utf8(body), x);
            } else if (media.equals("multipart/form-data")) {
                String boundary = parameter(contentType, "boundary");
                if (boundary == null || boundary.isEmpty() || !extractMultipart(body, boundary, x)) {
                    x.add(utf8(body), Location.of(Location.Source.BODY, ""), false);
                }
            } else if (isBinary(media)) {
                return;
            } else {
                // XML (for the XXE detector), text/* and unknown or missing types: one value, the whole body.
                x.add(utf8(body), Location.of(Location.Source.BODY, ""), false);
            }
        }

        private static void extractForm(String s, Extraction x) {
            RequestExtractor.extractForm(s, Location.Source.FORM, x);
        }

        static String mediaType(String contentType) {
            if (contentType == null) {
                return "";
            }
            int semi = contentType.indexOf(';');
            return (semi < 0 ? contentType : contentType.substring(0, semi))
                    .strip()
                    .toLowerCase(Locale.ROOT);
        }

        static boolean isBinary(String media) {
            return media.startsWith("image/")
                    || media.startsWith("audio/")
                    || media.startsWith("video/")
                    || media.startsWith("font/")
                    || media.equals("application/octet-stream")
                    || media.equals("application/zip")
                    || media.equals("application/gzip")
                    || media.equals("application/pdf")
                    || media.equals("application/grpc")
                    || media.startsWith("application/grpc+")
                    || media.equals("application/x-protobuf")
                    || media.equals("application/protobuf");
        }

        /** A {@code name=value} parameter of a header value, quotes removed; null when absent. */
        static String parameter(String header, String name) {
            if (header == null) {
                return null;
            }
            for (String part : header.split(";", 64)) {
                int eq = part.indexOf('=');
                if (eq > 0 && part.substring(0, eq).strip().equalsIgnoreCase(name)) {
                    String v = part.substring(eq + 1).strip();
                    if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                        v = v.substring(1, v.length() - 1);
                    }
                    return v;
                }
            }
            return null;
        }

        static String utf8(byte[] b) {
            return new String(b, StandardCharsets.UTF_8);
        }

        /**
         * Streams the JSON: every string value and every key (as a key) with its JSON pointer. Returns false when
         * the body is not well-formed JSON. Content deeper than {@code maxDepth} is skipped and reported.
         */
        static boolean extractJson(byte[] body, Extraction x, JsonFactory json, int maxDepth) {
            List<Frame> stack = new ArrayList<>();
            try (JsonParser p = json.createParser(body)) {
                JsonToken t;
                while ((t = p.nextToken()) != null) {
                    switch (t) {
                        case START_OBJECT, START_ARRAY -> {
                            if (stack.size() >= maxDepth) {
                                x.truncated = true;
                                p.skipChildren();
                                consumed(stack);
                            } else {
                                String seg =
                                        stack.isEmpty() ? null : stack.getLast().child();
                                stack.add(new Frame(seg, t == JsonToken.START_ARRAY));
                            }
                        }
                        case END_OBJECT, END_ARRAY -> {
                            stack.removeLast();
                            consumed(stack);
                        }
                        case FIELD_NAME -> {
                            Frame top = stack.getLast();
                            top.field = escape(p.currentName());
                            x.add(p.currentName(), jsonLocation(stack, top.field), true);
                        }
                        case VALUE_STRING -> {
                            x.add(
                                    p.getText(),
                                    jsonLocation(
                                            stack,
                                            stack.isEmpty()
                                                    ? null
                                                    : stack.getLast().child()),
                                    false);
                            consumed(stack);
                        }
                        default -> consumed(stack);
                    }
                    if (x.full()) {
                        // The rest would not be inspected anyway; stop reading (x.full() marked it truncated).
                        return true;
                    }
                }
                return true;
            } catch (StreamConstraintsException e) {
                // Nested past the parser's own limit (one past ours): what was read is inspected, the rest is not.
                x.truncated = true;
                return true;
            } catch (IOException | RuntimeException e) {
                // Malformed: the caller inspects the body as text.
                return false;
            }
        }

        /** One open JSON container: its segment in its parent, and where inside it the parser is. */
        private static final class Frame {
            final String segment;
            final boolean array;
            int index;
            String field = "";

            Frame(String segment, boolean array) {
                this.segment = segment;
                this.array = array;
            }

            String child() {
                return array ? Integer.toString(index) : field;
            }
        }

        private static void consumed(List<Frame> stack) {
            if (!stack.isEmpty() && stack.getLast().array) {
                stack.getLast().index++;
            }
        }

        private static Location jsonLocation(List<Frame> stack, String last) {
            StringBuilder b = new StringBuilder();
            for (int k = 1; k < stack.size(); k++) {
                b.append('/').append(stack.get(k).segment);
            }
            if (last != null) {
                b.append('/').append(last);
            }
            return Location.of(Location.Source.JSON, b.toString());
        }

        static String escape(String name) {
            if (name == null) {
                return "";
            }
            if (name.indexOf('~') < 0 && name.indexOf('/') < 0) {
                return name;
            }
            return name.replace("~", "~0").replace("/", "~1");
        }

        /**
         * A simple multipart/form-data parser: parts between {@code --boundary} lines, their headers up to the
         * blank line; text parts are inspected as {@code multipart.NAME}, file names as {@code
         * multipart.NAME.filename}, binary parts skipped. Returns false when no part was found.
         */
        static boolean extractMultipart(byte[] body, String boundary, Extraction x) {
            String text = new String(body, StandardCharsets.ISO_8859_1); // byte-exact, one char per byte
            String delimiter = "--" + boundary;
            int at = text.indexOf(delimiter);
            int parts = 0;
            while (at >= 0 && parts < MAX_PARTS && !x.full()) {
                int lineEnd = text.indexOf('\n', at);
                if (lineEnd < 0 || text.startsWith(delimiter + "--", at)) {
                    break;
                }
                int next = text.indexOf("\r\n" + delimiter, lineEnd);
                int nextLf = text.indexOf("\n" + delimiter, lineEnd);
                int partEnd = next >= 0 ? next : (nextLf >= 0 ? nextLf : text.length());
                // Searched only up to the part's end, so that many parts without headers cost linear time.
                int headersEnd = indexOf(text, "\r\n\r\n", lineEnd, partEnd);
                int sepLen = 4;
                int lf = indexOf(text, "\n\n", lineEnd, partEnd);
                if (headersEnd < 0 || (lf >= 0 && lf < headersEnd)) {
                    headersEnd = lf;
                    sepLen = 2;
                }
                if (headersEnd < 0 || headersEnd > partEnd) {
                    break;
                }
                // A part may have no header lines at all: its blank line then starts at the delimiter line's end.
                String headers = headersEnd > lineEnd ? text.substring(lineEnd + 1, headersEnd) : "";
                String disposition = null;
                String type = null;
                for (String line : headers.split("\r?\n", 64)) {
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        continue;
                    }
                    String hn = line.substring(0, colon).strip();
                    if (hn.equalsIgnoreCase("content-disposition")) {
                        disposition = line.substring(colon + 1);
                    } else if (hn.equalsIgnoreCase("content-type")) {
                        type = line.substring(colon + 1);
                    }
                }
                String name = disposition == null ? null : parameter(disposition, "name");
                String filename = disposition == null ? null : parameter(disposition, "filename");
                String partName = name == null ? Integer.toString(parts) : utf8Of(name);
                if (filename != null) {
                    x.add(utf8Of(filename), Location.of(Location.Source.MULTIPART, partName + ".filename"), false);
                }
                if (!isBinary(mediaType(type))) {
                    int from = headersEnd + sepLen;
                    String content = from <= partEnd ? utf8Of(text.substring(from, partEnd)) : "";
                    x.add(content, Location.of(Location.Source.MULTIPART, partName), false);
                }
                parts++;
                at = next >= 0 ? next + 2 : (nextLf >= 0 ? nextLf + 1 : -1);
            }
            return parts > 0;
        }

        /** {@code s.indexOf(p, from)} limited to matches that start before {@code to}, scanning no further. */
        static int indexOf(String s, String p, int from, int to) {
            int last = Math.min(to, s.length() - p.length());
            for (int i = from; i <= last; i++) {
                if (s.startsWith(p, i)) {
                    return i;
                }
            }
            return -1;
        }

        private static String utf8Of(String latin1) {
            return new String(latin1.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        }
    }
}
