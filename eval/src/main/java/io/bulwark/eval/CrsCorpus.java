package io.bulwark.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Loads the CRS regression tests (go-ftw YAML) under {@code crs-regression/tests}. */
public final class CrsCorpus {

    /**
     * One test stage.
     *
     * @param file the YAML file name
     * @param testId the test's id (or title)
     * @param stage the stage's index in the test, from 1
     * @param request what the stage sends
     * @param expectIds rules that must fire
     * @param noExpectIds rules that must stay quiet
     */
    public record Stage(
            String file,
            String testId,
            int stage,
            EvalRequest request,
            Set<Integer> expectIds,
            Set<Integer> noExpectIds) {

        /** The expected rule ids of this group; empty when the stage is no attack of it. */
        public Set<Integer> expected(RuleCatalog.Group g) {
            Set<Integer> out = new TreeSet<>();
            for (int id : expectIds) {
                if (id / 1000 == g.prefix()) {
                    out.add(id);
                }
            }
            return out;
        }

        /** An attack: some expected rule belongs to a mapped group (911..944). */
        public boolean isAttack() {
            return expectIds.stream().anyMatch(id -> RuleCatalog.group(id) != null);
        }

        /**
         * Benign: the stage expects no rule to fire and the inbound anomaly evaluation (949110) to stay quiet, i.e.
         * the whole request stays under the blocking threshold. A stage that only says one rule stays quiet is not
         * benign (another rule may well fire on it).
         */
        public boolean isBenign() {
            return expectIds.isEmpty() && noExpectIds.contains(RuleCatalog.INBOUND_ANOMALY_RULE);
        }

        /** The categories a flag must name to count as right for this group. */
        public Set<String> targetCategories(RuleCatalog.Group g) {
            return RuleCatalog.categories(expected(g));
        }
    }

    /** What was loaded, and what could not be. */
    public record Result(List<Stage> stages, int files, List<String> errors) {}

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern LOG_ID = Pattern.compile("id \"?(\\d{6})");

    private CrsCorpus() {}

    /** Loads every {@code .yaml}/{@code .yml} file under the directory, in path order. */
    public static Result load(Path testsDir) throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(testsDir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".yaml") || n.endsWith(".yml");
                    })
                    .sorted()
                    .toList();
        }
        List<Stage> stages = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (Path f : files) {
            try {
                stages.addAll(parse(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8)));
            } catch (IOException | RuntimeException e) {
                errors.add(f.getFileName() + ": "
                        + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        return new Result(stages, files.size(), errors);
    }

    /** Parses one go-ftw file (current {@code stages[].input} or older {@code stages[].stage.input}). */
    public static List<Stage> parse(String file, String yaml) throws IOException {
        JsonNode root = YAML.readTree(yaml);
        List<Stage> out = new ArrayList<>();
        if (root == null || root.isMissingNode() || root.isNull()) {
            return out;
        }
        int testIndex = 0;
        for (JsonNode test : root.path("tests")) {
            testIndex++;
            String testId = text(test.get("test_id"), text(test.get("test_title"), Integer.toString(testIndex)));
            int n = 0;
            for (JsonNode st : test.path("stages")) {
                n++;
                JsonNode stage = st.has("stage") ? st.get("stage") : st;
                String id = "crs:" + file + "#" + testId + "." + n;
                EvalRequest request = request(id, stage.path("input"));
                JsonNode output = stage.path("output");
                Set<Integer> expect = new TreeSet<>();
                Set<Integer> noExpect = new TreeSet<>();
                JsonNode log = output.path("log");
                ids(log.path("expect_ids"), expect);
                ids(log.path("no_expect_ids"), noExpect);
                ids(output.path("expect_ids"), expect);
                ids(output.path("no_expect_ids"), noExpect);
                logContains(output.path("log_contains"), expect);
                logContains(output.path("no_log_contains"), noExpect);
                out.add(new Stage(file, testId, n, request, expect, noExpect));
            }
        }
        return out;
    }

    static EvalRequest request(String id, JsonNode input) {
        JsonNode encoded = input.get("encoded_request");
        if (encoded != null && !encoded.asText().isBlank()) {
            byte[] raw = Base64.getMimeDecoder().decode(encoded.asText().strip());
            return EvalRequest.parseRaw(id, raw);
        }
        JsonNode rawRequest = input.get("raw_request");
        if (rawRequest != null && !rawRequest.asText().isEmpty()) {
            return EvalRequest.parseRaw(id, rawRequest.asText().getBytes(StandardCharsets.UTF_8));
        }
        String method = text(input.get("method"), "GET");
        String uri = text(input.get("uri"), "/");
        String version = text(input.get("version"), "HTTP/1.1");
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        JsonNode hs = input.path("headers");
        for (Iterator<Map.Entry<String, JsonNode>> it = hs.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            headers.add(Map.entry(
                    h.getKey(), h.getValue().isNull() ? "" : h.getValue().asText()));
        }
        byte[] body = text(input.get("data"), "").getBytes(StandardCharsets.UTF_8);
        boolean autocomplete = input.path("autocomplete_headers").asBoolean(true);
        return EvalRequest.of(id, method, uri, version, headers, body, autocomplete);
    }

    private static void ids(JsonNode node, Set<Integer> into) {
        if (node.isArray()) {
            for (JsonNode n : node) {
                ids(n, into);
            }
        } else if (node.isNumber()) {
            into.add(node.asInt());
        } else if (node.isTextual() && node.asText().strip().matches("\\d+")) {
            into.add(Integer.parseInt(node.asText().strip()));
        }
    }

    private static void logContains(JsonNode node, Set<Integer> into) {
        if (node.isTextual()) {
            Matcher m = LOG_ID.matcher(node.asText());
            while (m.find()) {
                into.add(Integer.parseInt(m.group(1)));
            }
        }
    }

    private static String text(JsonNode n, String fallback) {
        return n == null || n.isNull() || n.isMissingNode() ? fallback : n.asText();
    }
}
