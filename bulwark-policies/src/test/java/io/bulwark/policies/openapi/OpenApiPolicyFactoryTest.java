package io.bulwark.policies.openapi;

import static io.bulwark.policies.openapi.OpenApiFixtures.policy;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.openapi.OpenApiDocument;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OpenApiPolicyFactoryTest {
    private static final OpenApiDocument SHOP = OpenApiFixtures.shop();

    @Test
    void is_named_openapi() {
        assertThat(new OpenApiPolicyFactory().name()).isEqualTo("openapi");
    }

    @Test
    void needs_the_routes_openapi_document() {
        assertThatThrownBy(() -> new OpenApiPolicyFactory()
                        .create(ConfigNode.fromValue(Map.of(), "test.yaml"), new PolicyContext(Path.of("."), "r1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("the openapi policy needs the route's openapi document");
    }

    @Test
    void refuses_unknown_modes_keys_and_operations() {
        assertThatThrownBy(() -> policy(SHOP, Map.of("mode", "enforced")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("enforce");
        assertThatThrownBy(() -> policy(SHOP, Map.of("unknown_propertes", "allow")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("unknown_properties");
        assertThatThrownBy(() -> policy(SHOP, Map.of("operations", Map.of("createUsers", Map.of("mode", "monitor")))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("createUser");
        assertThatThrownBy(() -> policy(SHOP, Map.of("limits", Map.of("max_json_depth", 0))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_json_depth");
        assertThatThrownBy(() -> policy(SHOP, Map.of("limits", Map.of("max_depth", 3))))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("max_json_depth");
    }

    @Test
    void errors_name_the_file_and_line() {
        ConfigNode node = ConfigNode.fromValue(Map.of("mode", "loud"), "gateway.yaml");
        assertThatThrownBy(() -> new OpenApiPolicyFactory().create(node, OpenApiFixtures.context(SHOP)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("gateway.yaml");
    }

    @Test
    void compiles_every_operation_of_the_sample_api() throws Exception {
        assertThat(OpenApiPolicyFactory.compile(
                        SHOP, new OpenApiConfig(false, Map.of(), true, OpenApiConfig.Limits.DEFAULT)))
                .containsKeys("createUser", "createOrder", "listUsers", "getUser", "disableUser");
    }
}
