package io.bulwark.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the six detectors of this package over the OWASP CRS regression tests for rule prefixes 921 (protocol
 * attacks), 934 (SSRF, Node.js, prototype pollution, template injection) and 944 (Java, JNDI) in {@code
 * ../shared/corpora/crs-regression}, and prints per prefix and per rule how many attack stages they flag.
 *
 * <p>Values are extracted simply, without the inspector's normaliser: the path, each query and form parameter
 * (name and value), each header and cookie, JSON keys and string values, and the whole body; each value has two
 * forms, as sent and URL-decoded once. Request-level header checks run through {@link
 * ProtocolDetector#inspectHeaders}. Many rules of these prefixes are outside the categories written here
 * (Node.js and Perl injection, template injection, Java class names, LDAP injection, parameter pollution): the
 * per-rule lines show which.
 */
class CrsCorpusTest {
    private static final List<Detector> DETECTORS = List.of(
            new SsrfDetector(),
            new NoSqlDetector(),
            new XxeDetector(),
            new JndiDetector(),
            new ProtocolDetector(),
            new PrototypePollutionDetector());

    /** The rules whose attacks belong to a category of this package, and that category. */
    private static final Map<String, Category> MAPPED = Map.ofEntries(
            Map.entry("934110", Category.SSRF),
            Map.entry("934120", Category.SSRF),
            Map.entry("934190", Category.SSRF),
            Map.entry("934130", Category.PROTOTYPE_POLLUTION),
            Map.entry("944150", Category.JNDI),
            Map.entry("944151", Category.JNDI),
            Map.entry("944152", Category.JNDI),
            Map.entry("944200", Category.JNDI),
            Map.entry("944210", Category.JNDI),
            Map.entry("921110", Category.PROTOCOL),
            Map.entry("921120", Category.PROTOCOL),
            Map.entry("921130", Category.PROTOCOL),
            Map.entry("921140", Category.PROTOCOL),
            Map.entry("921150", Category.PROTOCOL),
            Map.entry("921151", Category.PROTOCOL),
            Map.entry("921160", Category.PROTOCOL),
            Map.entry("921190", Category.PROTOCOL));

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Path corpus;
    private static Map<String, Integer> paranoia;
    private static final Map<String, Figures> byRule = new TreeMap<>();
    private static final Map<String, Figures> byPrefix = new TreeMap<>();

    /** Attack stages of one rule or prefix, and how many were flagged (at all, in the rule's category). */
    static final class Figures {
        int stages;
        int flagged;
        int inCategory;
        int mapped;
        int atLevel1;
        int atLevel2;
        int benign;
        int benignFlagged;
    }

    @BeforeAll
    static void run() throws IOException {
        corpus = locate();
        assumeTrue(corpus != null, "../shared/corpora/crs-regression not found");
        paranoia = new HashMap<>();
        for (String line : Files.readAllLines(corpus.resolve("rule-paranoia.tsv"))) {
            String[] cols = line.split("\t");
            if (cols.length >= 2 && cols[1].chars().allMatch(Character::isDigit) && !cols[1].isEmpty()) {
                paranoia.put(cols[0], Integer.parseInt(cols[1]));
            }
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(corpus.resolve("tests"))) {
            files = walk.filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".yaml")
                                && (n.startsWith("921") || n.startsWith("934") || n.startsWith("944"));
                    })
                    .sorted()
                    .toList();
        }
        for (Path file : files) {
            JsonNode doc = YAML.readTree(file.toFile());
            for (JsonNode test : doc.path("tests")) {
                for (JsonNode stage : test.path("stages")) {
                    stage(stage);
                }
            }
        }
        print();
    }

    private static Path locate() {
        Path dir = Paths.get("").toAbsolutePath();
        for (int i = 0; i < 5 && dir != null; i++, dir = dir.getParent()) {
            Path candidate = dir.resolve("shared/corpora/crs-regression");
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
            Path sibling = dir.resolveSibling("shared/corpora/crs-regression");
            if (Files.isDirectory(sibling)) {
                return sibling;
            }
        }
        return null;
    }

    private static void stage(JsonNode stage) {
        JsonNode input = stage.path("input");
        JsonNode log = stage.path("output").path("log");
        List<String> expect = new ArrayList<>();
        log.path("expect_ids").forEach(id -> expect.add(id.asText()));
        Map<Category, Integer> levels = findings(input);
        Set<Category> found = levels.keySet();
        if (expect.isEmpty()) {
            if (log.path("no_expect_ids").isMissingNode()) {
                return;
            }
            // A stage that only says some rules stay quiet: benign only when no rule is expected at all.
            String prefix = prefixOf(log.path("no_expect_ids"));
            if (prefix == null) {
                return;
            }
            Figures p = byPrefix.computeIfAbsent(prefix, k -> new Figures());
            p.benign++;
            if (!found.isEmpty()) {
                p.benignFlagged++;
                if (System.getProperty("crs.debug") != null) {
                    System.out.println("BENIGN FLAGGED " + found + " " + input);
                }
            }
            return;
        }
        for (String rule : expect) {
            String prefix = rule.substring(0, 3);
            if (!Set.of("921", "934", "944").contains(prefix)) {
                continue;
            }
            Figures r = byRule.computeIfAbsent(rule, k -> new Figures());
            r.stages++;
            boolean flagged = !found.isEmpty();
            if (flagged) {
                r.flagged++;
            }
            Category c = MAPPED.get(rule);
            if (c != null && found.contains(c)) {
                r.inCategory++;
                if (levels.get(c) == 1) {
                    r.atLevel1++;
                }
                if (levels.get(c) <= 2) {
                    r.atLevel2++;
                }
            } else if (c != null && System.getProperty("crs.debug") != null) {
                System.out.println("MISSED " + rule + " " + found + " " + input);
            }
        }
        String prefix = expect.get(0).substring(0, 3);
        Figures p = byPrefix.computeIfAbsent(prefix, k -> new Figures());
        p.stages++;
        if (!found.isEmpty()) {
            p.flagged++;
        }
        if (expect.stream().anyMatch(MAPPED::containsKey)) {
            Category c = MAPPED.get(
                    expect.stream().filter(MAPPED::containsKey).findFirst().orElseThrow());
            p.mapped++;
            if (found.contains(c)) {
                p.inCategory++;
                if (levels.get(c) == 1) {
                    p.atLevel1++;
                }
                if (levels.get(c) <= 2) {
                    p.atLevel2++;
                }
            }
        }
    }

    private static String prefixOf(JsonNode ids) {
        for (JsonNode id : ids) {
            String s = id.asText();
            if (s.length() >= 3) {
                return s.substring(0, 3);
            }
        }
        return null;
    }

    /** The categories the detectors report for one request (level 4: everything). */
    private static Map<Category, Integer> findings(JsonNode input) {
        Request r = request(input);
        List<InspectedValue> values = new ArrayList<>();
        int q = r.uri.indexOf('?');
        String path = q < 0 ? r.uri : r.uri.substring(0, q);
        values.add(value(Location.Source.PATH, "", path, false));
        if (q >= 0) {
            params(r.uri.substring(q + 1), Location.Source.QUERY, values);
        }
        String contentType = "";
        for (Map.Entry<String, String> h : r.headers) {
            if (h.getKey().equalsIgnoreCase("Content-Type")) {
                contentType = h.getValue().toLowerCase(Locale.ROOT);
            }
            if (h.getKey().equalsIgnoreCase("Host")) {
                // Every CRS test is sent to "Host: localhost": the gateway's own name, not a URL to fetch.
                continue;
            }
            values.add(value(Location.Source.HEADER, h.getKey(), h.getValue(), false));
            if (h.getKey().equalsIgnoreCase("Cookie")) {
                for (String c : h.getValue().split(";")) {
                    int eq = c.indexOf('=');
                    String name = (eq < 0 ? c : c.substring(0, eq)).trim();
                    values.add(value(Location.Source.COOKIE, name, name, true));
                    if (eq >= 0) {
                        values.add(value(Location.Source.COOKIE, name, c.substring(eq + 1), false));
                    }
                }
            }
        }
        if (!r.body.isEmpty()) {
            values.add(value(Location.Source.BODY, "", r.body, false));
            if (contentType.contains("json")) {
                try {
                    json(JSON.readTree(r.body), "", values);
                } catch (IOException e) {
                    // not JSON after all: the whole body was added above
                }
            } else if (contentType.contains("xml") || r.body.startsWith("<?xml")) {
                xml(r.body, values);
            } else if (contentType.contains("x-www-form-urlencoded")
                    || (contentType.isEmpty() && r.body.contains("="))) {
                params(r.body, Location.Source.FORM, values);
            }
        }
        Map<Category, Integer> found = new java.util.EnumMap<>(Category.class);
        java.util.function.Consumer<Finding> add = f -> found.merge(f.category(), f.paranoia(), Math::min);
        for (InspectedValue v : values) {
            for (Detector d : DETECTORS) {
                d.inspect(v, add);
            }
        }
        ProtocolDetector.inspectHeaders(r.headers).forEach(add);
        return found;
    }

    private static void json(JsonNode node, String pointer, List<InspectedValue> out) {
        if (node.isObject()) {
            for (Map.Entry<String, JsonNode> e : node.properties()) {
                String child = pointer + "/" + e.getKey();
                out.add(new InspectedValue(
                        e.getKey(), forms(e.getKey()), Location.of(Location.Source.JSON, child), true));
                json(e.getValue(), child, out);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                json(node.get(i), pointer + "/" + i, out);
            }
        } else if (node.isTextual()) {
            out.add(value(Location.Source.JSON, pointer, node.asText(), false));
        }
    }

    /** Attribute values and text nodes, entity-decoded as an XML parser hands them over. */
    private static void xml(String body, List<InspectedValue> out) {
        int n = body.length();
        boolean inTag = false;
        int text = -1;
        for (int i = 0; i < n; i++) {
            char c = body.charAt(i);
            if (c == '<') {
                if (text >= 0 && i > text && !body.substring(text, i).isBlank()) {
                    out.add(value(Location.Source.XML, "text()", xmlDecode(body.substring(text, i)), false));
                }
                inTag = true;
                text = -1;
            } else if (c == '>' && inTag) {
                inTag = false;
                text = i + 1;
            } else if (inTag && (c == '"' || c == '\'') && i > 0 && body.charAt(i - 1) == '=') {
                int close = body.indexOf(c, i + 1);
                if (close < 0) {
                    break;
                }
                out.add(value(Location.Source.XML, "@", xmlDecode(body.substring(i + 1, close)), false));
                i = close;
            }
        }
    }

    private static String xmlDecode(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int semi = c == '&' ? s.indexOf(';', i) : -1;
            if (semi < 0 || semi - i > 10) {
                b.append(c);
                continue;
            }
            String e = s.substring(i + 1, semi);
            String d = switch (e) {
                case "lt" -> "<";
                case "gt" -> ">";
                case "amp" -> "&";
                case "quot" -> "\"";
                case "apos" -> "'";
                default -> {
                    try {
                        if (e.startsWith("#x") || e.startsWith("#X")) {
                            yield String.valueOf((char) Integer.parseInt(e.substring(2), 16));
                        } else if (e.startsWith("#")) {
                            yield String.valueOf((char) Integer.parseInt(e.substring(1)));
                        }
                    } catch (NumberFormatException ex) {
                        // not a character reference
                    }
                    yield null;
                }
            };
            if (d == null) {
                b.append(c);
            } else {
                b.append(d);
                i = semi;
            }
        }
        return b.toString();
    }

    private static void params(String s, Location.Source source, List<InspectedValue> out) {
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            out.add(value(source, name, name, true));
            if (eq >= 0) {
                out.add(value(source, name, pair.substring(eq + 1), false));
            }
        }
    }

    private static InspectedValue value(Location.Source source, String name, String raw, boolean isKey) {
        return new InspectedValue(raw, forms(raw), Location.of(source, name), isKey);
    }

    private static List<String> forms(String raw) {
        String decoded = urlDecode(raw);
        return decoded.equals(raw) ? List.of(raw) : List.of(raw, decoded);
    }

    /** One lenient round of URL decoding ('+' is a space; a malformed escape stays as written). */
    static String urlDecode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%'
                    && i + 2 < s.length()
                    && Scan.hexValue(s.charAt(i + 1)) >= 0
                    && Scan.hexValue(s.charAt(i + 2)) >= 0) {
                b.write(Scan.hexValue(s.charAt(i + 1)) * 16 + Scan.hexValue(s.charAt(i + 2)));
                i += 2;
            } else if (c == '+') {
                b.write(' ');
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                b.write(bytes, 0, bytes.length);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    private record Request(String uri, List<Map.Entry<String, String>> headers, String body) {}

    private static Request request(JsonNode input) {
        if (input.hasNonNull("encoded_request")) {
            String raw = new String(
                    Base64.getMimeDecoder().decode(input.get("encoded_request").asText()), StandardCharsets.ISO_8859_1);
            int end = raw.indexOf("\r\n\r\n");
            String head = end < 0 ? raw : raw.substring(0, end);
            String body = end < 0 ? "" : raw.substring(end + 4);
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            List<Map.Entry<String, String>> headers = new ArrayList<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.add(Map.entry(
                            lines[i].substring(0, colon),
                            lines[i].substring(colon + 1).trim()));
                }
            }
            return new Request(requestLine.length > 1 ? requestLine[1] : "/", headers, body);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (Map.Entry<String, JsonNode> h : input.path("headers").properties()) {
            headers.add(Map.entry(h.getKey(), h.getValue().asText()));
        }
        String uri = input.path("uri").asText("/");
        JsonNode data = input.path("data");
        String body = data.isMissingNode() || data.isNull() ? "" : data.isTextual() ? data.asText() : data.toString();
        return new Request(uri, headers, body);
    }

    private static void print() {
        System.out.println(
                "CRS regression attack stages flagged by the six detectors (any level, any of their categories):");
        Map<String, Figures> ordered = new LinkedHashMap<>(byPrefix);
        ordered.forEach((prefix, f) -> System.out.printf(
                Locale.ROOT,
                "  %s: %d/%d attack stages flagged (%.1f%%); of the %d attack stages of rules in our categories %d flagged"
                        + " in that category (%d at level 1, %d at level <= 2); stages that only expect some rule to stay"
                        + " quiet flagged %d/%d (not all benign)%n",
                prefix,
                f.flagged,
                f.stages,
                100.0 * f.flagged / Math.max(1, f.stages),
                f.mapped,
                f.inCategory,
                f.atLevel1,
                f.atLevel2,
                f.benignFlagged,
                f.benign));
        System.out.println("  per rule (rule, CRS paranoia level, category here, flagged/stages, in category):");
        byRule.forEach((rule, f) -> System.out.printf(
                Locale.ROOT,
                "    %s PL%s %-20s %d/%d %s%n",
                rule,
                paranoia.getOrDefault(rule, 0),
                MAPPED.containsKey(rule) ? MAPPED.get(rule).wireName() : "(not ours)",
                f.flagged,
                f.stages,
                MAPPED.containsKey(rule) ? f.inCategory + " (L1 " + f.atLevel1 + ", L<=2 " + f.atLevel2 + ")" : "-"));
    }

    private static Figures rule(String id) {
        return byRule.getOrDefault(id, new Figures());
    }

    private static Figures prefix(String p) {
        return byPrefix.getOrDefault(p, new Figures());
    }

    @Test
    void flags_every_protocol_attack_stage_of_the_splitting_and_smuggling_rules() {
        Figures f = prefix("921");
        assertThat(f.stages).isEqualTo(75);
        assertThat(f.mapped).isEqualTo(32);
        assertThat(f.inCategory).isEqualTo(32);
        assertThat(f.atLevel2).isEqualTo(32);
        assertThat(f.atLevel1).isGreaterThanOrEqualTo(22);
        assertThat(f.flagged).isGreaterThanOrEqualTo(32);
    }

    @Test
    void flags_every_ssrf_and_prototype_pollution_stage() {
        Figures f = prefix("934");
        assertThat(f.stages).isEqualTo(238);
        assertThat(f.mapped).isEqualTo(87);
        assertThat(f.inCategory).isEqualTo(87);
        assertThat(f.atLevel1).isGreaterThanOrEqualTo(82);
        assertThat(f.flagged).isGreaterThanOrEqualTo(90);
        for (String rule : List.of("934110", "934120", "934130", "934190")) {
            assertThat(rule(rule).inCategory).as(rule).isEqualTo(rule(rule).stages);
        }
    }

    @Test
    void flags_every_jndi_stage_but_one_that_hides_no_lookup() {
        Figures f = prefix("944");
        assertThat(f.stages).isEqualTo(1140);
        assertThat(f.mapped).isEqualTo(121);
        // 944152 test 26 is "$&lbracesomethingnotcoveredbyotherrules": a brace, no lookup.
        assertThat(f.inCategory).isGreaterThanOrEqualTo(120);
        assertThat(f.atLevel2).isGreaterThanOrEqualTo(120);
        assertThat(f.atLevel1).isGreaterThanOrEqualTo(71);
        assertThat(rule("944150").inCategory).isEqualTo(24);
        assertThat(rule("944210").inCategory).isEqualTo(45);
        assertThat(f.flagged).isGreaterThanOrEqualTo(155);
    }
}
