package io.bulwark.eval;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Loads {@code http-params/payload_train.csv} (payload, length, attack_type, label) and builds requests from it. */
public final class HttpParamsCorpus {

    /**
     * One labelled value.
     *
     * @param line the row's number in the file (the header is row 0)
     * @param payload the value
     * @param label the {@code attack_type} column: {@code norm}, {@code sqli}, {@code xss}, {@code path-traversal},
     *     {@code cmdi} (the {@code label} column only says {@code norm} or {@code anom})
     */
    public record Row(int line, String payload, String label) {
        /** Our category for the label, or null for {@code norm} (and unknown labels). */
        public String category() {
            return category(label);
        }

        public boolean isNormal() {
            return "norm".equals(label);
        }

        public static String category(String label) {
            return switch (label) {
                case "sqli" -> "sqli";
                case "xss" -> "xss";
                case "path-traversal" -> "lfi";
                case "cmdi" -> "cmdi";
                default -> null;
            };
        }
    }

    /** The two ways a value is sent. */
    public enum Variant {
        /** {@code GET /search?q=<url-encoded value>} */
        QUERY("query"),
        /** {@code POST /search} with {@code {"q": value}} as an application/json body */
        JSON("json");

        private final String label;

        Variant(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** Headers a browser-like client sends, so that protocol rules (missing Accept, User-Agent) stay out of it. */
    static final List<Map.Entry<String, String>> COMMON_HEADERS = List.of(
            Map.entry("Host", "localhost"),
            Map.entry("User-Agent", "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"),
            Map.entry("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"),
            Map.entry("Accept-Language", "en-US,en;q=0.5"));

    private HttpParamsCorpus() {}

    public static List<Row> load(Path csv) throws IOException {
        return parse(Files.readString(csv, StandardCharsets.UTF_8));
    }

    /** Parses RFC 4180 CSV (quoted fields, doubled quotes, line breaks inside quotes); skips the header row. */
    public static List<Row> parse(String text) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        int row = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
                continue;
            }
            switch (c) {
                case '"' -> {
                    quoted = true;
                    any = true;
                }
                case ',' -> {
                    fields.add(field.toString());
                    field.setLength(0);
                    any = true;
                }
                case '\r' -> {}
                case '\n' -> {
                    if (any || field.length() > 0) {
                        fields.add(field.toString());
                        row = addRow(rows, fields, row);
                    }
                    fields.clear();
                    field.setLength(0);
                    any = false;
                }
                default -> {
                    field.append(c);
                    any = true;
                }
            }
        }
        if (any || field.length() > 0) {
            fields.add(field.toString());
            addRow(rows, fields, row);
        }
        return rows;
    }

    private static int addRow(List<Row> rows, List<String> fields, int row) {
        if (row > 0 && fields.size() >= 4) {
            rows.add(new Row(row, fields.get(0), fields.get(2).strip()));
        }
        return row + 1;
    }

    /** The request that carries this row's value in the given variant. */
    public static EvalRequest request(Row row, Variant variant) {
        String id = "params-" + variant.label() + ":" + row.line();
        if (variant == Variant.QUERY) {
            String q = URLEncoder.encode(row.payload(), StandardCharsets.UTF_8);
            return EvalRequest.of(id, "GET", "/search?q=" + q, "HTTP/1.1", COMMON_HEADERS, new byte[0], true);
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>(COMMON_HEADERS);
        headers.add(Map.entry("Content-Type", "application/json"));
        String json = "{\"q\":\"" + new String(JsonStringEncoder.getInstance().quoteAsString(row.payload())) + "\"}";
        return EvalRequest.of(id, "POST", "/search", "HTTP/1.1", headers, json.getBytes(StandardCharsets.UTF_8), true);
    }
}
