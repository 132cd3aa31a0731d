package io.bulwark.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class PolicyTest {

    @Test
    void a_policy_that_overrides_nothing_proceeds_and_leaves_responses_alone() {
        Policy policy = () -> Phase.OBSERVE;

        assertThat(policy.onRequest(null) == Decision.proceedStage())
                .as("the default onRequest answers with the shared proceed stage")
                .isTrue();
        policy.onResponse(null);
        assertThat(policy.phase()).isEqualTo(Phase.OBSERVE);
    }

    @Test
    void phases_run_in_the_documented_order() {
        assertThat(Phase.values())
                .containsExactly(
                        Phase.CONNECT,
                        Phase.AUTHENTICATE,
                        Phase.AUTHORIZE,
                        Phase.LIMIT,
                        Phase.VALIDATE,
                        Phase.RESPOND,
                        Phase.OBSERVE);
    }

    @Test
    void a_policy_context_holds_the_config_directory_and_route() {
        PolicyContext context = new PolicyContext(Path.of("/etc/bulwark"), "orders");

        assertThat(context.configDirectory()).hasToString("/etc/bulwark");
        assertThat(context.routeId()).isEqualTo("orders");
    }
}
