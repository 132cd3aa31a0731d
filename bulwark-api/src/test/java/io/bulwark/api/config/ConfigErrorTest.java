package io.bulwark.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigErrorTest {
    private static final Location LOC = new Location("bulwark.yaml", 7, 5);

    @Test
    void message_names_file_line_column_key_found_and_expected() {
        ConfigError error = new ConfigError(LOC, "routes[0].upstream", "\"ordrs\"", "one of orders, users");

        assertThat(error.message())
                .isEqualTo("bulwark.yaml:7:5: routes[0].upstream: found \"ordrs\" (expected: one of orders, users)");
        assertThat(error).hasToString(error.message());
    }

    @Test
    void message_names_the_root_when_the_key_is_empty() {
        assertThat(new ConfigError(LOC, "", "a list", "an object").message())
                .isEqualTo("bulwark.yaml:7:5: <root>: found a list (expected: an object)");
    }

    @Test
    void location_without_a_line_shows_only_the_source() {
        assertThat(new Location("<inline>", 0, 0)).hasToString("<inline>");
        assertThat(new ConfigError(new Location("<inline>", 0, 0), "port", "\"x\"", "an integer").message())
                .isEqualTo("<inline>: port: found \"x\" (expected: an integer)");
    }

    @Test
    void every_part_is_required() {
        assertThatNullPointerException().isThrownBy(() -> new ConfigError(null, "k", "f", "e"));
        assertThatNullPointerException().isThrownBy(() -> new ConfigError(LOC, null, "f", "e"));
        assertThatNullPointerException().isThrownBy(() -> new ConfigError(LOC, "k", null, "e"));
        assertThatNullPointerException().isThrownBy(() -> new ConfigError(LOC, "k", "f", null));
        assertThatNullPointerException().isThrownBy(() -> new Location(null, 1, 1));
    }

    @Test
    void exception_carries_every_error_one_per_line() {
        ConfigError first = new ConfigError(LOC, "a", "\"1\"", "x");
        ConfigError second = new ConfigError(new Location("bulwark.yaml", 9, 3), "b", "\"2\"", "y");
        List<ConfigError> errors = new ArrayList<>(List.of(first, second));

        ConfigException e = new ConfigException(errors);
        errors.clear();

        assertThat(e.errors()).containsExactly(first, second);
        assertThat(e.getMessage()).isEqualTo(first.message() + "\n" + second.message());
        assertThatThrownBy(() -> e.errors().add(first)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void exception_needs_at_least_one_error() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new ConfigException(List.of()))
                .withMessage("errors: [] (expected: at least one)");
    }

    @Test
    void node_errors_use_the_node_location_and_path() {
        ConfigNode node = ConfigNode.scalar("listeners[1].port", LOC, "http", false);

        assertThat(node.error("an integer").errors())
                .containsExactly(new ConfigError(LOC, "listeners[1].port", "\"http\"", "an integer"));
        assertThat(node.error("port 80", "a port above 1023").getMessage())
                .isEqualTo("bulwark.yaml:7:5: listeners[1].port: found port 80 (expected: a port above 1023)");
    }
}
