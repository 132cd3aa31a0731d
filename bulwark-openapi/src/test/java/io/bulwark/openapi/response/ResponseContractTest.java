package io.bulwark.openapi.response;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.demo.AcmeShopApi;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.OpenApiException;
import io.bulwark.openapi.response.ResponseCheck.Verdict;
import org.junit.jupiter.api.Test;

class ResponseContractTest {
    private static ResponseContract shop() throws OpenApiException {
        return ResponseContract.compile(OpenApiDocument.parse("shop.yaml", AcmeShopApi.openApiYaml()));
    }

    private static ResponseContract contract(String yaml) throws OpenApiException {
        return ResponseContract.compile(OpenApiDocument.parse("spec.yaml", yaml));
    }

    @Test
    void declared_status_and_json_content_type_give_a_shape() throws Exception {
        ResponseCheck check = shop().lookup("getUser", 200, "application/json");
        assertThat(check.verdict()).isEqualTo(Verdict.DECLARED);
        assertThat(check.declaredStatus()).contains("200");
        assertThat(check.shape()).isPresent();
        assertThat(check.shape().get().isAny()).isFalse();
        assertThat(check.shape().get().properties)
                .containsOnlyKeys("id", "name", "email", "role", "status", "createdAt");
    }

    @Test
    void content_type_parameters_and_case_are_ignored() throws Exception {
        ResponseCheck check = shop().lookup("getUser", 404, "Application/JSON ; charset=UTF-8");
        assertThat(check.verdict()).isEqualTo(Verdict.DECLARED);
        assertThat(check.shape().get().properties).containsOnlyKeys("error", "message");
    }

    @Test
    void undeclared_status_is_reported() throws Exception {
        ResponseCheck check = shop().lookup("getUser", 418, "application/json");
        assertThat(check.verdict()).isEqualTo(Verdict.UNDECLARED_STATUS);
        assertThat(check.declared()).isFalse();
        assertThat(check.shape()).isEmpty();
        assertThat(check.declaredStatus()).isEmpty();
    }

    @Test
    void undeclared_content_type_is_reported() throws Exception {
        ResponseCheck check = shop().lookup("getUser", 200, "text/html; charset=utf-8");
        assertThat(check.verdict()).isEqualTo(Verdict.UNDECLARED_CONTENT_TYPE);
        assertThat(check.declaredStatus()).contains("200");
        assertThat(check.shape()).isEmpty();
    }

    @Test
    void a_non_json_declared_type_is_declared_without_a_shape() throws Exception {
        ResponseCheck check = shop().lookup("getOpenApiDocument", 200, "application/yaml");
        assertThat(check.verdict()).isEqualTo(Verdict.DECLARED);
        assertThat(check.shape()).isEmpty();
        assertThat(shop().lookup("getOpenApiDocument", 200, "application/json").verdict())
                .isEqualTo(Verdict.UNDECLARED_CONTENT_TYPE);
    }

    @Test
    void a_response_without_a_body_is_declared_by_its_status_alone() throws Exception {
        assertThat(shop().lookup("getUser", 200, null).verdict()).isEqualTo(Verdict.DECLARED);
        assertThat(shop().lookup("getUser", 418, null).verdict()).isEqualTo(Verdict.UNDECLARED_STATUS);
    }

    @Test
    void unknown_operation_is_an_argument_error() {
        assertThatThrownBy(() -> shop().lookup("nope", 200, "application/json"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("operationId: 'nope'");
    }

    private static final String RANGES = """
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
                        application/vnd.acme+json:
                          schema: {type: object, properties: {exact: {type: string}}}
                        application/*:
                          schema: {type: object, properties: {wild: {type: string}}}
                    2XX:
                      description: other success
                      content:
                        '*/*':
                          schema: {type: object, properties: {range: {type: string}}}
                    '204': {description: no content}
                    default:
                      description: error
                      content:
                        application/problem+json:
                          schema: {type: object, properties: {title: {type: string}}}
              /b:
                get:
                  responses:
                    '200':
                      description: no schema
                      content:
                        application/json: {}
            """;

    @Test
    void exact_status_beats_range_beats_default() throws Exception {
        ResponseContract c = contract(RANGES);
        assertThat(c.lookup("a", 200, "application/vnd.acme+json").declaredStatus())
                .contains("200");
        assertThat(c.lookup("a", 201, "application/json").declaredStatus()).contains("2XX");
        assertThat(c.lookup("a", 201, "application/json").shape().get().properties)
                .containsOnlyKeys("range");
        assertThat(c.lookup("a", 500, "application/problem+json").declaredStatus())
                .contains("default");
        assertThat(c.lookup("a", 500, "application/problem+json").shape().get().properties)
                .containsOnlyKeys("title");
        assertThat(c.lookup("a", 500, "text/plain").verdict()).isEqualTo(Verdict.UNDECLARED_CONTENT_TYPE);
        assertThat(c.lookup("a", 204, "application/json").verdict()).isEqualTo(Verdict.UNDECLARED_CONTENT_TYPE);
        assertThat(c.lookup("a", 204, null).verdict()).isEqualTo(Verdict.DECLARED);
    }

    @Test
    void exact_media_type_beats_main_type_wildcard() throws Exception {
        ResponseContract c = contract(RANGES);
        assertThat(c.lookup("a", 200, "application/vnd.acme+json").shape().get().properties)
                .containsOnlyKeys("exact");
        assertThat(c.lookup("a", 200, "application/json").shape().get().properties)
                .containsOnlyKeys("wild");
        // Declared through application/*, but not JSON: nothing to filter.
        assertThat(c.lookup("a", 200, "application/pdf").verdict()).isEqualTo(Verdict.DECLARED);
        assertThat(c.lookup("a", 200, "application/pdf").shape()).isEmpty();
        assertThat(c.lookup("a", 200, "text/html").verdict()).isEqualTo(Verdict.UNDECLARED_CONTENT_TYPE);
    }

    @Test
    void operations_without_an_id_are_named_method_and_template_and_a_missing_schema_lets_all_through()
            throws Exception {
        ResponseCheck check = contract(RANGES).lookup("GET /b", 200, "application/json");
        assertThat(check.verdict()).isEqualTo(Verdict.DECLARED);
        assertThat(check.shape().get().isAny()).isTrue();
    }

    @Test
    void responses_declared_by_ref_are_followed() throws Exception {
        ResponseContract c = contract("""
                openapi: 3.1.0
                info: {title: t, version: '1'}
                paths:
                  /a:
                    get:
                      operationId: a
                      responses:
                        '404': {$ref: '#/components/responses/NotFound'}
                components:
                  responses:
                    NotFound:
                      description: nf
                      content:
                        application/json:
                          schema: {$ref: '#/components/schemas/Problem'}
                  schemas:
                    Problem: {type: object, properties: {error: {type: string}}}
                """);
        assertThat(c.lookup("a", 404, "application/json").shape().get().properties)
                .containsOnlyKeys("error");
    }

    @Test
    void a_broken_ref_fails_the_compile_with_its_pointer() {
        assertThatThrownBy(() -> contract("""
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
                                      schema: {$ref: '#/components/schemas/Missing'}
                        """))
                .isInstanceOf(OpenApiException.class)
                .hasMessageContaining("/paths/~1a/get/responses/200/content/application~1json/schema")
                .hasMessageContaining("points at nothing");
    }

    @Test
    void an_invalid_status_key_fails_the_compile() {
        assertThatThrownBy(() -> contract("""
                        openapi: 3.0.3
                        info: {title: t, version: '1'}
                        paths:
                          /a:
                            get:
                              operationId: a
                              responses:
                                ok: {description: ok}
                        """))
                .isInstanceOf(OpenApiException.class)
                .hasMessageContaining("/paths/~1a/get/responses/ok");
    }
}
