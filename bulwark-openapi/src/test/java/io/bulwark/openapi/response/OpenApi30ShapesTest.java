package io.bulwark.openapi.response;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.OpenApiException;
import io.bulwark.openapi.response.ResponseCheck.Verdict;
import org.junit.jupiter.api.Test;

/** OpenAPI 3.0 forms: nullable references through allOf, additional-properties schemas, write-only maps. */
class OpenApi30ShapesTest {
    private static final String SPEC = """
            openapi: 3.0.3
            info: {title: t, version: '1'}
            paths:
              /orders/{id}:
                get:
                  operationId: getOrder
                  responses:
                    '200':
                      description: ok
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Order'}
            components:
              schemas:
                Person:
                  type: object
                  properties:
                    name: {type: string}
                Order:
                  type: object
                  properties:
                    id: {type: integer}
                    buyer:
                      nullable: true
                      allOf: [{$ref: '#/components/schemas/Person'}]
                    secrets:
                      type: object
                      additionalProperties: {type: string, writeOnly: true}
                    attributes:
                      type: object
                      additionalProperties: {$ref: '#/components/schemas/Person'}
            """;

    private static Shape order() throws OpenApiException {
        return ResponseContract.compile(OpenApiDocument.parse("spec.yaml", SPEC))
                .lookup("getOrder", 200, "application/json")
                .shape()
                .orElseThrow();
    }

    private static FilterResult filter(String json) throws OpenApiException {
        FilterResult r = ResponseFilter.filter(order(), json.getBytes(UTF_8), FilterLimits.DEFAULTS);
        assertThat(r.valid()).as("%s", r).isTrue();
        return r;
    }

    @Test
    void a_nullable_reference_filters_its_object_and_keeps_null() throws Exception {
        FilterResult r = filter("{\"id\":1,\"buyer\":{\"name\":\"ann\",\"ssn\":\"123\"}}");
        assertThat(new String(r.body(), UTF_8)).isEqualTo("{\"id\":1,\"buyer\":{\"name\":\"ann\"}}");
        assertThat(r.removed()).containsExactly("/buyer/ssn");
        assertThat(filter("{\"id\":1,\"buyer\":null}").changed()).isFalse();
    }

    @Test
    void additional_properties_schemas_filter_values_and_write_only_maps_are_emptied() throws Exception {
        FilterResult r = filter("{\"secrets\":{\"k\":\"v\"},\"attributes\":{\"a\":{\"name\":\"x\",\"age\":3}}}");
        assertThat(new String(r.body(), UTF_8)).isEqualTo("{\"secrets\":{},\"attributes\":{\"a\":{\"name\":\"x\"}}}");
        assertThat(r.removed()).containsExactly("/secrets/k", "/attributes/a/age");
    }

    @Test
    void an_operation_without_responses_declares_nothing() throws Exception {
        ResponseContract c = ResponseContract.compile(OpenApiDocument.parse("x", """
                openapi: 3.1.0
                info: {title: t, version: '1'}
                paths:
                  /a:
                    get: {operationId: a}
                """));
        assertThat(c.lookup("a", 200, "application/json").verdict()).isEqualTo(Verdict.UNDECLARED_STATUS);
    }

    @Test
    void mutually_recursive_schemas_through_all_of_compile() throws Exception {
        ResponseContract c = ResponseContract.compile(OpenApiDocument.parse("x", """
                openapi: 3.0.3
                info: {title: t, version: '1'}
                paths:
                  /a:
                    get:
                      operationId: a
                      responses:
                        '200':
                          description: ok
                          content:
                            application/json:
                              schema: {$ref: '#/components/schemas/A'}
                components:
                  schemas:
                    A:
                      allOf:
                        - $ref: '#/components/schemas/B'
                        - properties: {a: {$ref: '#/components/schemas/A'}}
                    B:
                      anyOf:
                        - $ref: '#/components/schemas/A'
                        - properties: {b: {$ref: '#/components/schemas/B'}}
                """));
        Shape a = c.lookup("a", 200, "application/json").shape().orElseThrow();
        FilterResult r = ResponseFilter.filter(
                a, "{\"a\":{\"b\":{\"x\":1}},\"b\":{\"a\":{}},\"y\":2}".getBytes(UTF_8), FilterLimits.DEFAULTS);
        assertThat(new String(r.body(), UTF_8)).isEqualTo("{\"a\":{\"b\":{}},\"b\":{\"a\":{}}}");
        assertThat(r.removed()).containsExactly("/a/b/x", "/y");
    }

    @Test
    void unevaluated_properties_false_closes_and_pattern_properties_keep_everything() throws Exception {
        ResponseContract c = ResponseContract.compile(OpenApiDocument.parse("x", """
                        openapi: 3.1.0
                        info: {title: t, version: '1'}
                        paths:
                          /a:
                            get:
                              operationId: a
                              responses:
                                '200':
                                  description: ok
                                  content:
                                    application/json:
                                      schema:
                                        type: object
                                        properties:
                                          id: {type: integer}
                                          tags:
                                            type: object
                                            patternProperties: {'^x-': {type: string}}
                                            additionalProperties: false
                                        unevaluatedProperties: false
                        """), false);
        Shape a = c.lookup("a", 200, "application/json").shape().orElseThrow();
        FilterResult r = ResponseFilter.filter(
                a, "{\"id\":1,\"tags\":{\"x-a\":\"1\",\"b\":\"2\"},\"z\":3}".getBytes(UTF_8), FilterLimits.DEFAULTS);
        assertThat(new String(r.body(), UTF_8)).isEqualTo("{\"id\":1,\"tags\":{\"x-a\":\"1\",\"b\":\"2\"}}");
        assertThat(r.removed()).containsExactly("/z");
    }
}
