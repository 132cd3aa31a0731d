package io.bulwark.policies.openapi;

import static io.bulwark.policies.openapi.OpenApiFixtures.jsonRequest;
import static io.bulwark.policies.openapi.OpenApiFixtures.parse;
import static io.bulwark.policies.openapi.OpenApiFixtures.policy;
import static io.bulwark.policies.openapi.OpenApiFixtures.rejected;
import static io.bulwark.policies.openapi.OpenApiFixtures.request;
import static io.bulwark.policies.openapi.OpenApiFixtures.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.api.Decision;
import io.bulwark.api.Policy;
import io.bulwark.api.config.ConfigException;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.policies.TestExchange;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Compiled validators on small specs: dialects, composition, patterns, parameter styles. */
class OpenApiSchemasTest {
    private static String spec(String version, String schema) {
        return """
                openapi: %s
                info: {title: t, version: '1'}
                paths:
                  /things:
                    post:
                      operationId: createThing
                      requestBody:
                        required: true
                        content:
                          application/json:
                            schema:
                              $ref: '#/components/schemas/Thing'
                      responses: {'201': {description: created}}
                components:
                  schemas:
                %s
                """.formatted(version, schema.indent(4));
    }

    private static Decision post(Policy p, OpenApiDocument doc, String json) {
        TestExchange ex = jsonRequest(doc, "POST", "/things", json.getBytes(StandardCharsets.UTF_8).length);
        return run(p, ex, json);
    }

    @Test
    void a_catastrophic_pattern_runs_in_linear_time() throws Exception {
        OpenApiDocument doc = parse(spec("3.1.0", """
                Thing:
                  type: object
                  properties:
                    code: {type: string, pattern: '^(a+)+$'}
                """));
        Policy p = policy(doc, Map.of("limits", Map.of("max_string_length", 100_000)));
        String json = "{\"code\":\"" + "a".repeat(50_000) + "!\"}";
        long start = System.nanoTime();
        Decision.Reject r = rejected(post(p, doc, json));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_INVALID);
        assertThat(r.detail()).contains("/code").contains("pattern").doesNotContain("aaaa");
        assertThat(millis).isLessThan(2000);
        assertThat(post(p, doc, "{\"code\":\"aaaa\"}")).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void a_pattern_re2_cannot_run_is_a_config_error() {
        OpenApiDocument doc = parse(spec("3.1.0", """
                Thing:
                  type: object
                  properties:
                    code: {type: string, pattern: '^(a)\\1$'}
                """));
        assertThatThrownBy(() -> policy(doc))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("RE2");
    }

    @Test
    void read_only_properties_are_refused_in_requests() throws Exception {
        OpenApiDocument doc = parse(spec("3.1.0", """
                Thing:
                  type: object
                  properties:
                    id: {type: integer, readOnly: true}
                    name: {type: string}
                """));
        Decision.Reject r = rejected(post(policy(doc), doc, "{\"id\":1,\"name\":\"x\"}"));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_READ_ONLY);
        assertThat(r.detail()).contains("/id");
        assertThat(post(policy(doc), doc, "{\"name\":\"x\"}")).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void unknown_properties_are_refused_by_default_and_allowed_on_request() throws Exception {
        OpenApiDocument doc = parse(spec("3.1.0", """
                Thing:
                  type: object
                  properties:
                    name: {type: string}
                    tags:
                      type: array
                      items:
                        type: object
                        properties: {k: {type: string}}
                """));
        Decision.Reject r =
                rejected(post(policy(doc), doc, "{\"name\":\"x\",\"tags\":[{\"k\":\"a\",\"isAdmin\":true}]}"));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_UNKNOWN_PROPERTY);
        assertThat(r.detail()).contains("/tags/0/isAdmin");
        Policy allow = policy(doc, Map.of("unknown_properties", "allow"));
        assertThat(post(allow, doc, "{\"name\":\"x\",\"isAdmin\":true}")).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void additional_properties_declared_by_the_spec_are_honoured() throws Exception {
        OpenApiDocument doc = parse(spec("3.1.0", """
                Thing:
                  type: object
                  properties:
                    name: {type: string}
                  additionalProperties: {type: string}
                """));
        assertThat(post(policy(doc), doc, "{\"name\":\"x\",\"extra\":\"y\"}")).isInstanceOf(Decision.Proceed.class);
        assertThat(rejected(post(policy(doc), doc, "{\"extra\":1}")).key()).isEqualTo(OpenApiErrors.OAS_BODY_INVALID);
    }

    @Test
    void all_of_compositions_see_every_member_property() throws Exception {
        OpenApiDocument doc = parse(spec("3.1.0", """
                Base:
                  type: object
                  properties:
                    id: {type: string}
                Thing:
                  allOf:
                    - $ref: '#/components/schemas/Base'
                    - type: object
                      properties:
                        name: {type: string}
                """));
        Policy p = policy(doc);
        assertThat(post(p, doc, "{\"id\":\"1\",\"name\":\"x\"}")).isInstanceOf(Decision.Proceed.class);
        Decision.Reject r = rejected(post(p, doc, "{\"id\":\"1\",\"name\":\"x\",\"role\":\"admin\"}"));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_BODY_UNKNOWN_PROPERTY);
        assertThat(r.detail()).contains("/role");
    }

    @Test
    void openapi_30_nullable_is_understood() throws Exception {
        OpenApiDocument doc = parse(spec("3.0.3", """
                Thing:
                  type: object
                  required: [name]
                  properties:
                    name: {type: string, nullable: true}
                    count: {type: integer, maximum: 10}
                """));
        Policy p = policy(doc);
        assertThat(post(p, doc, "{\"name\":null}")).isInstanceOf(Decision.Proceed.class);
        assertThat(rejected(post(p, doc, "{\"name\":null,\"count\":11}")).key())
                .isEqualTo(OpenApiErrors.OAS_BODY_INVALID);
        assertThat(rejected(post(p, doc, "{\"name\":\"x\",\"other\":1}")).key())
                .isEqualTo(OpenApiErrors.OAS_BODY_UNKNOWN_PROPERTY);
    }

    @Test
    void parameters_of_every_location_and_array_styles() throws Exception {
        OpenApiDocument doc = parse("""
                openapi: 3.1.0
                info: {title: t, version: '1'}
                paths:
                  /items/{ids}:
                    parameters:
                      - {name: ids, in: path, required: true, schema: {type: array, items: {type: integer}}}
                      - {name: X-Tenant, in: header, required: true, schema: {type: string, pattern: '^[a-z]+$'}}
                    get:
                      operationId: getItems
                      parameters:
                        - {name: X-Tenant, in: header, required: false, schema: {type: string, enum: [acme, globex]}}
                        - {name: tag, in: query, schema: {type: array, items: {type: string}, maxItems: 2}}
                        - {name: sort, in: query, explode: false, schema: {type: array, items: {type: string, enum: [a, b]}}}
                        - {name: session, in: cookie, required: true, schema: {type: string, minLength: 8}}
                        - {name: flag, in: query, schema: {type: boolean}}
                      responses: {'200': {description: ok}}
                """);
        Policy p = policy(doc);
        TestExchange ok = request(doc, "GET", "/items/1,2,3?tag=x&tag=y&sort=a,b&flag=true")
                .header("Cookie", "theme=dark; session=abcdefgh")
                .header("X-Tenant", "acme");
        assertThat(TestExchange.decided(p.onRequest(ok))).isInstanceOf(Decision.Proceed.class);

        // the operation's X-Tenant replaces the path item's: no longer required, an enum instead of a pattern
        TestExchange noTenant = request(doc, "GET", "/items/1").header("Cookie", "session=abcdefgh");
        assertThat(TestExchange.decided(p.onRequest(noTenant))).isInstanceOf(Decision.Proceed.class);
        TestExchange badTenant = request(doc, "GET", "/items/1")
                .header("Cookie", "session=abcdefgh")
                .header("X-Tenant", "initech");
        assertThat(rejected(TestExchange.decided(p.onRequest(badTenant))).detail())
                .contains("header parameter 'X-Tenant'")
                .contains("enum");

        Decision.Reject r = rejected(TestExchange.decided(
                p.onRequest(request(doc, "GET", "/items/1,x").header("Cookie", "session=abcdefgh"))));
        assertThat(r.detail()).contains("path parameter 'ids'").contains("integer");

        r = rejected(TestExchange.decided(
                p.onRequest(request(doc, "GET", "/items/1?tag=a&tag=b&tag=c").header("Cookie", "session=abcdefgh"))));
        assertThat(r.detail()).contains("query parameter 'tag'").contains("maxItems");

        r = rejected(TestExchange.decided(
                p.onRequest(request(doc, "GET", "/items/1?sort=a,z").header("Cookie", "session=abcdefgh"))));
        assertThat(r.detail()).contains("query parameter 'sort'").contains("enum");

        r = rejected(TestExchange.decided(p.onRequest(request(doc, "GET", "/items/1"))));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_PARAMETER_MISSING);
        assertThat(r.detail()).contains("cookie parameter 'session'");

        r = rejected(TestExchange.decided(
                p.onRequest(request(doc, "GET", "/items/1?flag=yes").header("Cookie", "session=abcdefgh"))));
        assertThat(r.detail()).contains("'flag'").contains("true or false");

        r = rejected(TestExchange.decided(
                p.onRequest(request(doc, "GET", "/items/1?tag=%ZZ").header("Cookie", "session=abcdefgh"))));
        assertThat(r.key()).isEqualTo(OpenApiErrors.OAS_PARAMETER_INVALID);
    }
}
