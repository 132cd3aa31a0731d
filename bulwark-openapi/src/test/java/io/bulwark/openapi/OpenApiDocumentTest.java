package io.bulwark.openapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.api.Operation;
import io.bulwark.demo.AcmeShopApi;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OpenApiDocumentTest {
    private static OpenApiDocument shop() throws OpenApiException {
        return OpenApiDocument.parse("shop.yaml", AcmeShopApi.openApiYaml());
    }

    private static Operation op(OpenApiDocument doc, String id) {
        return doc.operations().stream()
                .filter(o -> o.id().equals(id))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void reads_every_operation_of_the_sample_api_with_security_tags_and_extensions() throws Exception {
        OpenApiDocument doc = shop();
        assertThat(doc.version()).isEqualTo("3.1.0");
        assertThat(doc.basePath()).isEmpty();
        assertThat(doc.operations())
                .extracting(Operation::id)
                .contains("getHealth", "listUsers", "getOrder", "disableUser", "getOrderV1");
        Operation getOrder = op(doc, "getOrder");
        assertThat(getOrder.method()).isEqualTo("GET");
        assertThat(getOrder.pathTemplate()).isEqualTo("/api/v2/orders/{orderId}");
        assertThat(getOrder.securityAlternatives()).containsExactly(Set.of("orders:read"));
        assertThat(getOrder.isPublic()).isFalse();
        assertThat(getOrder.tags()).containsExactly("orders");
        Operation health = op(doc, "getHealth");
        assertThat(health.isPublic()).isTrue();
        assertThat(health.securityAlternatives()).isEmpty();
        Operation disable = op(doc, "disableUser");
        assertThat(disable.flag("x-bulwark-sensitive")).isTrue();
        assertThat(disable.securityAlternatives()).containsExactly(Set.of("admin"));
        assertThat(op(doc, "getOrderV1").deprecated()).isTrue();
    }

    @Test
    void root_security_applies_when_the_operation_declares_none() throws Exception {
        OpenApiDocument doc = OpenApiDocument.parse("x", """
                openapi: 3.0.3
                info: {title: t, version: '1'}
                servers: [{url: 'https://api.example.com/v1/'}]
                security: [{oauth: [read]}, {apiKey: []}]
                paths:
                  /a:
                    get: {responses: {'200': {description: ok}}}
                    post:
                      security: [{}]
                      responses: {'200': {description: ok}}
                """);
        assertThat(doc.basePath()).isEqualTo("/v1");
        Operation get = op(doc, "GET /a");
        assertThat(get.securityAlternatives()).containsExactly(Set.of("read"), Set.of());
        assertThat(get.isPublic()).isFalse();
        assertThat(op(doc, "POST /a").isPublic()).isTrue();
    }

    @Test
    void resolves_local_path_item_references() throws Exception {
        OpenApiDocument doc = OpenApiDocument.parse("x", """
                openapi: 3.1.0
                info: {title: t, version: '1'}
                paths:
                  /a: {$ref: '#/components/pathItems/A'}
                components:
                  pathItems:
                    A:
                      get: {operationId: getA}
                """);
        assertThat(doc.operations()).extracting(Operation::id).containsExactly("getA");
    }

    @Test
    void refuses_documents_that_are_not_openapi_3() {
        assertThatThrownBy(() -> OpenApiDocument.parse("x", "swagger: '2.0'\npaths: {}\n"))
                .isInstanceOf(OpenApiException.class)
                .hasMessageContaining("/openapi");
        assertThatThrownBy(() -> OpenApiDocument.parse("x", "- a\n- b\n")).hasMessageContaining("top level");
        assertThatThrownBy(() -> OpenApiDocument.parse("x", "openapi: 3.1.0\npaths: {/a: {get: [\n"))
                .hasMessageContaining("x:")
                .hasMessageContaining("not a valid YAML");
    }

    @Test
    void refuses_remote_references_reference_cycles_and_dangling_references() {
        String remote = """
                openapi: 3.1.0
                paths:
                  /a: {$ref: 'https://evil.example/paths.yaml'}
                """;
        assertThatThrownBy(() -> OpenApiDocument.parse("x", remote)).hasMessageContaining("local reference");
        String cycle = """
                openapi: 3.1.0
                paths:
                  /a: {$ref: '#/components/pathItems/A'}
                components:
                  pathItems:
                    A: {$ref: '#/components/pathItems/B'}
                    B: {$ref: '#/components/pathItems/A'}
                """;
        assertThatThrownBy(() -> OpenApiDocument.parse("x", cycle)).hasMessageContaining("cycle");
        String dangling = """
                openapi: 3.1.0
                paths:
                  /a: {$ref: '#/components/pathItems/Nope'}
                """;
        assertThatThrownBy(() -> OpenApiDocument.parse("x", dangling)).hasMessageContaining("points at nothing");
    }

    @Test
    void refuses_duplicate_operation_ids_bad_templates_and_clashing_shapes() {
        assertThatThrownBy(() -> OpenApiDocument.parse("x", """
                        openapi: 3.1.0
                        paths:
                          /a: {get: {operationId: same}}
                          /b: {get: {operationId: same}}
                        """))
                .hasMessageContaining("'same' is used by two operations");
        assertThatThrownBy(() -> OpenApiDocument.parse("x", """
                        openapi: 3.1.0
                        paths:
                          /a/{id: {get: {}}
                        """)).hasMessageContaining("not a valid path template");
        assertThatThrownBy(() -> OpenApiDocument.parse("x", """
                        openapi: 3.1.0
                        paths:
                          /a/{id}: {get: {}}
                          /a/{name}: {post: {}}
                        """)).hasMessageContaining("same shape");
    }

    @Test
    void refuses_a_yaml_alias_bomb_quickly() {
        StringBuilder y = new StringBuilder("openapi: 3.1.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 12; i++) {
            y.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 10; j++) {
                y.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
            }
            y.append("]\n");
        }
        y.append("paths: {}\n");
        assertThatThrownBy(() -> OpenApiDocument.parse("bomb", y.toString()))
                .isInstanceOf(OpenApiException.class)
                .hasMessageContaining("bomb:2:")
                .hasMessageContaining("anchors and aliases are not supported");
    }

    @Test
    void refuses_a_file_that_is_too_large_before_parsing_it(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.yaml");
        try (var out = Files.newOutputStream(big)) {
            byte[] line = "# padding padding padding padding padding padding padding padding\n".getBytes();
            for (long written = 0; written <= OpenApiDocument.MAX_FILE_BYTES; written += line.length) {
                out.write(line);
            }
        }
        assertThatThrownBy(() -> OpenApiDocument.load(big)).hasMessageContaining("expected: <=");
        assertThatThrownBy(() -> OpenApiDocument.load(dir.resolve("missing.yaml")))
                .hasMessageContaining("cannot read");
    }

    @Test
    void operations_list_is_immutable() throws Exception {
        List<Operation> ops = shop().operations();
        assertThatThrownBy(() -> ops.add(ops.get(0))).isInstanceOf(UnsupportedOperationException.class);
    }
}
