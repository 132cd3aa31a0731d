package io.bulwark.inspect;

import static io.bulwark.inspect.Values.key;
import static io.bulwark.inspect.Values.query;
import static io.bulwark.inspect.Values.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PrototypePollutionDetectorTest {
    private final PrototypePollutionDetector detector = new PrototypePollutionDetector();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "__proto__",
                "a[__proto__][x]",
                "__proto__.polluted",
                "__proto__[test]",
                "constructor[prototype][x]",
                "constructor.prototype.test",
                "a[constructor][prototype]",
                "constructor.prototype. test",
                "x.__proto__",
                "__\\u0070\\u0072oto__.foo"
            })
    void flags_query_keys(String k) {
        List<Finding> findings = run(detector, key(Location.Source.QUERY, k));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.paranoia()).isEqualTo(1);
            assertThat(f.category()).isEqualTo(Category.PROTOTYPE_POLLUTION);
        });
    }

    @Test
    void flags_json_key_paths() {
        InspectedValue proto = new InspectedValue(
                "__proto__", List.of("__proto__"), Location.of(Location.Source.JSON, "/title/__proto__"), true);
        assertThat(run(detector, proto)).hasSize(1);
        InspectedValue prototype = new InspectedValue(
                "prototype", List.of("prototype"), Location.of(Location.Source.JSON, "/a/constructor"), true);
        assertThat(run(detector, prototype))
                .singleElement()
                .satisfies(f -> assertThat(f.evidence()).isEqualTo("/a/constructor/prototype"));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "constructor",
                "prototype",
                "proto",
                "__proto",
                "proto__",
                "my__proto__field",
                "constructorName",
                "user[constructor]",
                "prototype.name",
                "a[prototype][constructor]"
            })
    void ignores_normal_keys(String k) {
        assertThat(run(detector, key(Location.Source.QUERY, k))).isEmpty();
    }

    @Test
    void ignores_lone_constructor_json_key() {
        InspectedValue v = new InspectedValue(
                "constructor", List.of("constructor"), Location.of(Location.Source.JSON, "/building"), true);
        assertThat(run(detector, v)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "__proto__.foo=bar",
                "{\"__proto__\":{\"isAdmin\":true}}",
                "a[__proto__][x]=1",
                "{\"constructor\": {\"prototype\": {\"x\": 1}}}",
                "__\\u0070\\u0072oto__.foo=bar",
                "__proto__"
            })
    void flags_values_that_look_like_key_paths(String v) {
        assertThat(Values.level(detector, query(v))).isEqualTo(1);
    }

    @Test
    void flags_proto_in_running_text_at_level_2() {
        assertThat(Values.level(detector, query("x__proto__y"))).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "The constructor built the prototype.",
                "prototype-based design",
                "constructor",
                "proto",
                "javascript prototype chain",
                "Object.prototype.toString"
            })
    void ignores_normal_values(String v) {
        assertThat(run(detector, query(v))).isEmpty();
    }

    @Test
    void stays_linear_on_adversarial_input() {
        long start = System.nanoTime();
        assertThat(run(detector, query("constructor".repeat(100_000)))).isEmpty();
        assertThat(run(detector, query("constructor.".repeat(100_000)))).isEmpty();
        assertThat(run(detector, key(Location.Source.QUERY, "_".repeat(1 << 20))))
                .isEmpty();
        assertThat(run(detector, query("%25".repeat(300_000)))).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
