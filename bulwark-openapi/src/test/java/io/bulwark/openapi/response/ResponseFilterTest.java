package io.bulwark.openapi.response;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.OpenApiException;
import io.bulwark.openapi.response.FilterResult.Problem;
import org.junit.jupiter.api.Test;

class ResponseFilterTest {
    private static final String SPEC = """
            openapi: 3.1.0
            info: {title: t, version: '1'}
            paths:
              /account:
                get:
                  operationId: account
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Account'}
              /tree:
                get:
                  operationId: tree
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Node'}
              /pets:
                get:
                  operationId: pets
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: array
                            items:
                              oneOf:
                                - {$ref: '#/components/schemas/Cat'}
                                - {$ref: '#/components/schemas/Dog'}
              /loose:
                get:
                  operationId: loose
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema:
                            type: object
                            properties:
                              id: {type: integer}
                              labels:
                                type: object
                                additionalProperties: {type: string}
                              meta:
                                type: object
                                additionalProperties: true
                              counters:
                                type: object
                                additionalProperties:
                                  type: object
                                  properties: {n: {type: integer}}
                                  additionalProperties: false
                              free: {type: object}
                              closed:
                                type: object
                                properties: {a: {type: string}}
                                additionalProperties: false
            components:
              schemas:
                Base:
                  type: object
                  properties:
                    id: {type: integer, readOnly: true}
                    createdAt: {type: string, format: date-time}
                Account:
                  allOf:
                    - $ref: '#/components/schemas/Base'
                    - type: object
                      properties:
                        owner: {type: string}
                        password: {type: string, writeOnly: true}
                        balance: {type: number}
                        history:
                          type: array
                          items:
                            type: object
                            properties:
                              amount: {type: number}
                        nickname: {type: [string, 'null']}
                Node:
                  type: object
                  properties:
                    name: {type: string}
                    children:
                      type: array
                      items: {$ref: '#/components/schemas/Node'}
                    parent: {$ref: '#/components/schemas/Node'}
                Cat:
                  type: object
                  properties: {kind: {const: cat}, meows: {type: boolean}}
                  additionalProperties: false
                Dog:
                  type: object
                  properties: {kind: {const: dog}, barks: {type: boolean}}
                  additionalProperties: false
            """;

    private static ResponseContract contract(boolean strict) throws OpenApiException {
        return ResponseContract.compile(OpenApiDocument.parse("spec.yaml", SPEC), strict);
    }

    private static Shape shape(String operation) throws OpenApiException {
        return contract(true).lookup(operation, 200, "application/json").shape().orElseThrow();
    }

    private static FilterResult filter(Shape shape, String json) {
        FilterResult result = ResponseFilter.filter(shape, json.getBytes(UTF_8), FilterLimits.DEFAULTS);
        assertThat(result.valid()).as("%s", result).isTrue();
        return result;
    }

    private static String text(FilterResult result) {
        return new String(result.body(), UTF_8);
    }

    @Test
    void all_of_is_the_union_of_its_parts_and_write_only_is_stripped() throws Exception {
        FilterResult r = filter(shape("account"), """
                {"id":7,"createdAt":"2026-01-01T00:00:00Z","owner":"ann","password":"hunter2",\
                "balance":1.10,"internal":{"risk":3},"nickname":null}""");
        assertThat(text(r))
                .isEqualTo("{\"id\":7,\"createdAt\":\"2026-01-01T00:00:00Z\",\"owner\":\"ann\","
                        + "\"balance\":1.10,\"nickname\":null}");
        assertThat(r.removed()).containsExactly("/password", "/internal");
        assertThat(r.removedCount()).isEqualTo(2);
        assertThat(r.changed()).isTrue();
    }

    @Test
    void nested_arrays_are_filtered_element_by_element_with_pointers() throws Exception {
        FilterResult r = filter(shape("account"), """
                {"owner":"ann","history":[{"amount":1},{"amount":2,"card":"4111"},{"amount":3e2,"card":"5500"}]}""");
        assertThat(text(r))
                .isEqualTo("{\"owner\":\"ann\",\"history\":[{\"amount\":1},{\"amount\":2},{\"amount\":3e2}]}");
        assertThat(r.removed()).containsExactly("/history/1/card", "/history/2/card");
    }

    @Test
    void an_unchanged_body_is_returned_byte_for_byte() throws Exception {
        String json = "{ \"owner\" : \"ann\",\n  \"balance\": 1.500 }";
        byte[] bytes = json.getBytes(UTF_8);
        FilterResult r = ResponseFilter.filter(shape("account"), bytes, FilterLimits.DEFAULTS);
        assertThat(r.changed()).isFalse();
        assertThat(r.removed()).isEmpty();
        assertThat(r.body()).isSameAs(bytes);
    }

    @Test
    void field_order_numbers_and_escapes_survive_filtering() throws Exception {
        FilterResult r = filter(shape("loose"), """
                {"meta":{"z":1,"a":-0.0,"big":123456789012345678901234567890,"e":1E+10},"x":1,\
                "id":9007199254740993,"labels":{"q":"tab\\there \\u00e9 \\"q\\""}}""");
        assertThat(text(r))
                .isEqualTo("{\"meta\":{\"z\":1,\"a\":-0.0,\"big\":123456789012345678901234567890,\"e\":1E+10},"
                        + "\"id\":9007199254740993,\"labels\":{\"q\":\"tab\\there é \\\"q\\\"\"}}");
        assertThat(r.removed()).containsExactly("/x");
    }

    @Test
    void additional_properties_true_schema_and_false_are_honoured() throws Exception {
        FilterResult r = filter(shape("loose"), """
                {"id":1,"meta":{"anything":{"deep":[1,{"x":2}]}},"labels":{"a":"b","c":"d"},\
                "counters":{"k1":{"n":1,"leak":true},"k2":{"n":2}},"free":{"what":{"ever":1}},\
                "closed":{"a":"x","b":"y"}}""");
        assertThat(text(r))
                .isEqualTo("{\"id\":1,\"meta\":{\"anything\":{\"deep\":[1,{\"x\":2}]}},\"labels\":{\"a\":\"b\","
                        + "\"c\":\"d\"},\"counters\":{\"k1\":{\"n\":1},\"k2\":{\"n\":2}},"
                        + "\"free\":{\"what\":{\"ever\":1}},\"closed\":{\"a\":\"x\"}}");
        assertThat(r.removed()).containsExactly("/counters/k1/leak", "/closed/b");
    }

    @Test
    void strict_mode_is_the_default_and_can_be_turned_off() throws Exception {
        String body = "{\"owner\":\"ann\",\"internal\":1,\"password\":\"x\"}";
        assertThat(text(filter(shape("account"), body))).isEqualTo("{\"owner\":\"ann\"}");
        Shape lenient = contract(false)
                .lookup("account", 200, "application/json")
                .shape()
                .orElseThrow();
        FilterResult r = filter(lenient, body);
        // Without strict mode an absent additionalProperties allows more, but writeOnly is still stripped.
        assertThat(text(r)).isEqualTo("{\"owner\":\"ann\",\"internal\":1}");
        assertThat(r.removed()).containsExactly("/password");
    }

    @Test
    void recursive_schemas_compile_to_a_cycle_and_filter_at_every_depth() throws Exception {
        ResponseContract c = contract(true);
        Shape node = c.lookup("tree", 200, "application/json").shape().orElseThrow();
        assertThat(node.properties.get("parent")).isSameAs(node);
        assertThat(node.properties.get("children").items).isSameAs(node);
        FilterResult r = filter(node, """
                {"name":"root","secret":1,"children":[{"name":"a","children":[{"name":"a1","secret":2}]},\
                {"name":"b","parent":{"name":"root","secret":3}}]}""");
        assertThat(text(r))
                .isEqualTo("{\"name\":\"root\",\"children\":[{\"name\":\"a\",\"children\":[{\"name\":\"a1\"}]},"
                        + "{\"name\":\"b\",\"parent\":{\"name\":\"root\"}}]}");
        assertThat(r.removed())
                .containsExactly("/secret", "/children/0/children/0/secret", "/children/1/parent/secret");
    }

    @Test
    void one_of_keeps_what_any_alternative_declares() throws Exception {
        FilterResult r = filter(shape("pets"), """
                [{"kind":"cat","meows":true,"chip":"x"},{"kind":"dog","barks":false}]""");
        assertThat(text(r)).isEqualTo("[{\"kind\":\"cat\",\"meows\":true},{\"kind\":\"dog\",\"barks\":false}]");
        assertThat(r.removed()).containsExactly("/0/chip");
    }

    @Test
    void pointers_escape_slash_and_tilde() throws Exception {
        FilterResult r = filter(shape("account"), "{\"a/b\":1,\"c~d\":2}");
        assertThat(r.removed()).containsExactly("/a~1b", "/c~0d");
        assertThat(text(r)).isEqualTo("{}");
    }

    @Test
    void removed_pointers_are_capped_but_counted() throws Exception {
        StringBuilder json = new StringBuilder("{\"history\":[");
        for (int i = 0; i < 250; i++) {
            json.append(i == 0 ? "" : ",").append("{\"amount\":").append(i).append(",\"card\":\"x\"}");
        }
        FilterResult r = filter(shape("account"), json.append("]}").toString());
        assertThat(r.removed()).hasSize(FilterResult.MAX_LISTED).startsWith("/history/0/card");
        assertThat(r.removed().get(99)).isEqualTo("/history/99/card");
        assertThat(r.removedCount()).isEqualTo(250);
    }

    @Test
    void a_schemaless_response_is_copied_whole() {
        FilterResult r = filter(Shape.ANY, "{\"a\":[1,2,{\"b\":null}],\"c\":true}");
        assertThat(r.changed()).isFalse();
        assertThat(text(r)).isEqualTo("{\"a\":[1,2,{\"b\":null}],\"c\":true}");
    }

    @Test
    void scalars_at_the_root_are_kept() throws Exception {
        assertThat(text(filter(shape("account"), "\"just a string\""))).isEqualTo("\"just a string\"");
        assertThat(text(filter(shape("account"), "null"))).isEqualTo("null");
    }

    @Test
    void malformed_json_is_refused() throws Exception {
        Shape shape = shape("account");
        for (String bad : new String[] {
            "", "   ", "{", "{\"a\":}", "[1,2", "{\"owner\":\"x\"} {}", "{'a':1}", "{\"owner\":\"ann\"}garbage", "nul"
        }) {
            FilterResult r = ResponseFilter.filter(shape, bad.getBytes(UTF_8), FilterLimits.DEFAULTS);
            assertThat(r.valid()).as(bad).isFalse();
            assertThat(r.problem()).as(bad).contains(Problem.MALFORMED);
            assertThat(r.removed()).isEmpty();
            assertThatThrownBy(r::body).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void invalid_utf8_is_malformed_not_an_exception() throws Exception {
        byte[][] bodies = {
            {'"', (byte) 0xC3, '(', '"'},
            {'{', '"', 'a', '"', ':', '"', (byte) 0xFF, '"', '}'},
            {'{', '"', (byte) 0xE2, (byte) 0x82, '"', ':', '1', '}'}
        };
        for (byte[] body : bodies) {
            FilterResult r = ResponseFilter.filter(shape("account"), body, FilterLimits.DEFAULTS);
            assertThat(r.problem()).contains(Problem.MALFORMED);
        }
    }

    @Test
    void duplicate_keys_are_refused_even_inside_removed_values() throws Exception {
        Shape shape = shape("account");
        for (String dup : new String[] {
            "{\"owner\":\"a\",\"owner\":\"b\"}",
            "{\"internal\":{\"x\":1,\"x\":2}}",
            "{\"history\":[{\"amount\":1,\"amount\":2}]}"
        }) {
            FilterResult r = ResponseFilter.filter(shape, dup.getBytes(UTF_8), FilterLimits.DEFAULTS);
            assertThat(r.problem()).as(dup).contains(Problem.DUPLICATE_KEY);
            assertThat(r.detail()).doesNotContain("owner", "\"x\"", "amount");
        }
    }

    @Test
    void ten_thousand_levels_of_nesting_are_refused_cleanly() throws Exception {
        String deep = "[".repeat(10_000) + "]".repeat(10_000);
        String deepObjects = "{\"a\":".repeat(10_000) + "1" + "}".repeat(10_000);
        for (String json : new String[] {deep, deepObjects, "{\"internal\":" + deep + "}"}) {
            FilterResult r = ResponseFilter.filter(shape("account"), json.getBytes(UTF_8), FilterLimits.DEFAULTS);
            assertThat(r.problem()).contains(Problem.TOO_DEEP);
            assertThat(r.detail()).isEqualTo("nested deeper than 64");
        }
        // At the limit itself the body passes.
        String atLimit = "[".repeat(64) + "]".repeat(64);
        assertThat(ResponseFilter.filter(Shape.ANY, atLimit.getBytes(UTF_8), FilterLimits.DEFAULTS)
                        .valid())
                .isTrue();
    }

    @Test
    void the_deepest_allowed_limit_does_not_overflow_the_stack() {
        FilterLimits limits = new FilterLimits(1 << 20, FilterLimits.MAX_DEPTH);
        String json = "[".repeat(FilterLimits.MAX_DEPTH) + "]".repeat(FilterLimits.MAX_DEPTH);
        assertThat(ResponseFilter.filter(Shape.ANY, json.getBytes(UTF_8), limits)
                        .valid())
                .isTrue();
    }

    @Test
    void a_body_over_the_size_limit_is_refused_before_parsing() {
        FilterResult r = ResponseFilter.filter(Shape.ANY, new byte[101], new FilterLimits(100, 10));
        assertThat(r.problem()).contains(Problem.TOO_LARGE);
        assertThat(r.detail()).isEqualTo("101 bytes (expected: <= 100)");
    }

    @Test
    void limits_are_validated() {
        assertThatThrownBy(() -> new FilterLimits(0, 10)).hasMessage("maxBytes: 0 (expected: > 0)");
        assertThatThrownBy(() -> new FilterLimits(10, 1001)).hasMessage("maxDepth: 1001 (expected: 1 to 1000)");
    }

    @Test
    void a_five_megabyte_page_is_filtered_in_one_pass() throws Exception {
        StringBuilder json = new StringBuilder(6 << 20).append("{\"owner\":\"ann\",\"history\":[");
        int n = 0;
        while (json.length() < 5 << 20) {
            json.append(n == 0 ? "" : ",")
                    .append("{\"amount\":")
                    .append(n)
                    .append(".25,\"card\":\"4111111111111111\",\"note\":\"")
                    .append("x".repeat(40))
                    .append("\"}");
            n++;
        }
        json.append("]}");
        byte[] in = json.toString().getBytes(UTF_8);
        FilterResult r = ResponseFilter.filter(shape("account"), in, FilterLimits.DEFAULTS);
        assertThat(r.valid()).isTrue();
        assertThat(r.removedCount()).isEqualTo(2 * n);
        assertThat(r.removed()).hasSize(100);
        // Each element loses exactly its card and note: the output size is known in advance.
        String card = ",\"card\":\"4111111111111111\"";
        String note = ",\"note\":\"" + "x".repeat(40) + "\"";
        assertThat(r.body()).hasSize(in.length - n * (card.length() + note.length()));
        String out = new String(r.body(), UTF_8);
        assertThat(out).startsWith("{\"owner\":\"ann\",\"history\":[{\"amount\":0.25},{\"amount\":1.25},");
        assertThat(out).endsWith("{\"amount\":" + (n - 1) + ".25}]}");
    }
}
