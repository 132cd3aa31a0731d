package io.bulwark.api.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigNodeTest {
    private static final Location LOC = new Location("bulwark.yaml", 12, 19);

    private static ConfigNode scalar(String value) {
        return ConfigNode.scalar("limits.value", LOC, value, false);
    }

    private static ConfigNode secret(String value) {
        return ConfigNode.scalar("admin.token", LOC, value, true);
    }

    private static ConfigNode object(Map<String, ?> map) {
        return ConfigNode.fromValue(map, "test");
    }

    /** A map that keeps insertion order, with null values allowed (Map.of refuses both). */
    private static Map<String, Object> ordered(Object... keysAndValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Nested
    class Durations {
        private final Duration min = Duration.ofMillis(100);
        private final Duration max = Duration.ofHours(1);

        @ParameterizedTest
        @CsvSource({"500ms, 500", "30s, 30000", "5m, 300000", "1h, 3600000", "100ms, 100", "0m, 0"})
        void reads_a_number_with_one_unit(String value, long millis) throws ConfigException {
            assertThat(scalar(value).asDuration(Duration.ZERO, max)).isEqualTo(Duration.ofMillis(millis));
        }

        @Test
        void reads_days() throws ConfigException {
            assertThat(scalar("7d").asDuration(Duration.ZERO, Duration.ofDays(730)))
                    .isEqualTo(Duration.ofDays(7));
        }

        @Test
        void accepts_both_bounds_after_unit_conversion() throws ConfigException {
            assertThat(scalar("100ms").asDuration(min, max)).isEqualTo(min);
            assertThat(scalar("60m").asDuration(min, max)).isEqualTo(max);
        }

        @ParameterizedTest
        @ValueSource(strings = {"50ms", "0s", "99ms", "3601s", "61m", "2h", "1d"})
        void rejects_values_out_of_range_after_unit_conversion(String value) {
            ConfigException e =
                    assertThrows(ConfigException.class, () -> scalar(value).asDuration(min, max));

            assertThat(e.getMessage())
                    .isEqualTo("bulwark.yaml:12:19: limits.value: found \"" + value
                            + "\" (expected: a duration such as 500ms, 30s, 5m, 2h or 7d, from 100ms to 1h)");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "",
                    "s",
                    "10",
                    "10 s",
                    "-1s",
                    "+1s",
                    "1e3s",
                    "1.5s",
                    "1h30m",
                    "10S",
                    "10sec",
                    "10us",
                    "0x10s",
                    "ten s",
                    "10s10",
                    "\u0661\u0660s",
                    "\uff11\uff10s"
                })
        void rejects_anything_but_a_whole_number_and_one_unit(String value) {
            assertThatThrownBy(() -> scalar(value).asDuration(Duration.ZERO, Duration.ofDays(365)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("expected: a duration such as 500ms");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "999999999999d",
                    "999999999999h",
                    "999999999999ms",
                    "9999999999999s",
                    "99999999999999999999d",
                    "9223372036854775808ms"
                })
        void rejects_huge_numbers_without_overflowing(String value) {
            assertThatThrownBy(() -> scalar(value).asDuration(Duration.ZERO, Duration.ofDays(730)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("to 730d)");
        }

        @Test
        void error_shows_the_bounds_in_their_largest_whole_unit() {
            assertThatThrownBy(() -> scalar("0s").asDuration(Duration.ofSeconds(1), Duration.ofMinutes(10)))
                    .hasMessageEndingWith("from 1s to 10m)");
            assertThatThrownBy(() -> scalar("1ms").asDuration(Duration.ofMillis(10), Duration.ofDays(7)))
                    .hasMessageEndingWith("from 10ms to 7d)");
        }

        @Test
        void rejects_non_scalars() {
            assertThatThrownBy(() -> ConfigNode.fromValue(List.of("1s"), "t").asDuration(min, max))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("found a list");
            assertThatThrownBy(() -> ConfigNode.fromValue(null, "t").asDuration(min, max))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("found null");
        }
    }

    @Nested
    class Sizes {
        @ParameterizedTest
        @CsvSource({
            "0, 0",
            "8192, 8192",
            "1B, 1",
            "1KB, 1000",
            "1KiB, 1024",
            "64KiB, 65536",
            "1MB, 1000000",
            "10MiB, 10485760",
            "10 MiB, 10485760",
            "1GB, 1000000000",
            "1GiB, 1073741824",
            "1024GiB, 1099511627776"
        })
        void reads_bytes_with_decimal_and_binary_units(String value, long bytes) throws ConfigException {
            assertThat(scalar(value).asBytes(0, 1L << 40)).isEqualTo(bytes);
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "",
                    "KiB",
                    "10mb",
                    "10kib",
                    "10k",
                    "10K",
                    "10Kb",
                    "1TiB",
                    "1.5MiB",
                    "-1",
                    "-1KiB",
                    "+1",
                    "1e3",
                    "0x10",
                    "10 MiB B",
                    "10MiBs",
                    "\u0661\u0660KiB"
                })
        void rejects_unknown_units_and_malformed_numbers(String value) {
            assertThatThrownBy(() -> scalar(value).asBytes(0, Long.MAX_VALUE))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("expected: a size such as 8192, 64KiB, 10MiB or 1GiB");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "99999999999999GiB",
                    "999999999999999GiB",
                    "8589934592GiB",
                    "17179869184GiB",
                    "9999999999999999999GB",
                    "999999999999999MiB"
                })
        void rejects_sizes_that_would_overflow_a_long(String value) {
            ConfigException e =
                    assertThrows(ConfigException.class, () -> scalar(value).asBytes(0, Long.MAX_VALUE));

            assertThat(e.getMessage()).contains("from 0 to " + Long.MAX_VALUE + " bytes");
        }

        @Test
        void accepts_the_maximum_and_rejects_one_byte_more() throws ConfigException {
            long tib = 1L << 40;

            assertThat(scalar("1099511627776").asBytes(0, tib)).isEqualTo(tib);
            assertThatThrownBy(() -> scalar("1099511627777").asBytes(0, tib)).isInstanceOf(ConfigException.class);
            assertThatThrownBy(() -> scalar("1025GiB").asBytes(0, tib)).isInstanceOf(ConfigException.class);
            assertThatThrownBy(() -> scalar("2KB").asBytes(0, 1500)).isInstanceOf(ConfigException.class);
            assertThat(scalar("2KB").asBytes(0, 2000)).isEqualTo(2000);
        }

        @Test
        void checks_the_minimum_after_unit_conversion() throws ConfigException {
            assertThat(scalar("1KiB").asBytes(1024, 1L << 20)).isEqualTo(1024);
            assertThatThrownBy(() -> scalar("1KB").asBytes(1024, 1L << 20))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("found \"1KB\"")
                    .hasMessageContaining("from 1024 to 1048576 bytes");
            assertThatThrownBy(() -> scalar("1023").asBytes(1024, 1L << 20)).isInstanceOf(ConfigException.class);
            assertThatThrownBy(() -> scalar("0KiB").asBytes(1, 1L << 20)).isInstanceOf(ConfigException.class);
        }

        @Test
        void error_matches_the_documented_format() {
            ConfigNode node = ConfigNode.scalar("limits.max_body_bytes", LOC, "10mb", false);

            assertThatThrownBy(() -> node.asBytes(0, 1L << 40))
                    .hasMessage("bulwark.yaml:12:19: limits.max_body_bytes: found \"10mb\" (expected: a size such as"
                            + " 8192, 64KiB, 10MiB or 1GiB, from 0 to 1099511627776 bytes)");
        }

        @Test
        void rejects_objects() {
            assertThatThrownBy(() -> object(Map.of("size", "1KiB")).asBytes(0, 1L << 20))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("found an object");
        }
    }

    @Nested
    class Booleans {
        @Test
        void reads_true_and_false() throws ConfigException {
            assertThat(scalar("true").asBoolean()).isTrue();
            assertThat(scalar("false").asBoolean()).isFalse();
            assertThat(ConfigNode.fromValue(Boolean.TRUE, "t").asBoolean()).isTrue();
        }

        @ParameterizedTest
        @ValueSource(strings = {"yes", "no", "on", "off", "True", "FALSE", "1", "0", "y", "", " true", "true ", "t"})
        void rejects_anything_but_lower_case_true_or_false(String value) {
            assertThatThrownBy(() -> scalar(value).asBoolean())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageEndingWith("(expected: true or false)");
        }

        @Test
        void rejects_null_and_lists() {
            assertThatThrownBy(() -> ConfigNode.fromValue(null, "t").asBoolean())
                    .isInstanceOf(ConfigException.class);
            assertThatThrownBy(() -> ConfigNode.fromValue(List.of("true"), "t").asBoolean())
                    .isInstanceOf(ConfigException.class);
        }
    }

    @Nested
    class Integers {
        @ParameterizedTest
        @CsvSource({"8080, 8080", "10_000, 10000", "1_048_576, 1048576", "0, 0", "-5, -5"})
        void reads_decimal_integers_with_underscores(String value, long expected) throws ConfigException {
            assertThat(scalar(value).asLong(-10, 2_000_000)).isEqualTo(expected);
        }

        @Test
        void accepts_both_bounds() throws ConfigException {
            assertThat(scalar("1").asLong(1, 10)).isEqualTo(1);
            assertThat(scalar("10").asLong(1, 10)).isEqualTo(10);
            assertThat(scalar(String.valueOf(Long.MAX_VALUE)).asLong(0, Long.MAX_VALUE))
                    .isEqualTo(Long.MAX_VALUE);
        }

        @ParameterizedTest
        @ValueSource(strings = {"0", "11", "-1", "10_001", "9223372036854775807"})
        void rejects_values_out_of_range(String value) {
            assertThatThrownBy(() -> scalar(value).asLong(1, 10))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("bulwark.yaml:12:19: limits.value: found \"" + value
                            + "\" (expected: an integer in 1..10)");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "",
                    "_",
                    "__",
                    "abc",
                    "1.0",
                    "1e3",
                    "0x10",
                    " 5",
                    "5 ",
                    "9223372036854775808",
                    "-9223372036854775809"
                })
        void rejects_what_is_not_an_integer(String value) {
            assertThatThrownBy(() -> scalar(value).asLong(Long.MIN_VALUE, Long.MAX_VALUE))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("expected: an integer in");
        }

        /** Durations and sizes refuse non-ASCII digits; integers should too (the docs say "decimal"). */
        @ParameterizedTest
        @ValueSource(strings = {"\u0661\u0660", "\uff11\uff10", "\u0967\u0966"})
        void rejects_non_ascii_digits(String value) {
            assertThatThrownBy(() -> scalar(value).asLong(0, 100)).isInstanceOf(ConfigException.class);
        }

        @Test
        void reads_ints_within_int_bounds() throws ConfigException {
            assertThat(scalar("65535").asInt(0, 65535)).isEqualTo(65535);
            assertThatThrownBy(() -> scalar("65536").asInt(0, 65535)).isInstanceOf(ConfigException.class);
            assertThatThrownBy(() -> scalar("4294967297").asInt(0, Integer.MAX_VALUE))
                    .isInstanceOf(ConfigException.class);
        }

        @Test
        void rejects_non_scalars() {
            assertThatThrownBy(() -> ConfigNode.fromValue(List.of(1), "t").asLong(0, 10))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("found a list (expected: an integer in 0..10)");
        }
    }

    @Nested
    class Strings {
        @Test
        void reads_scalars_as_strings() throws ConfigException {
            assertThat(scalar("api.example.com").asString()).isEqualTo("api.example.com");
            assertThat(ConfigNode.fromValue(42, "t").asString()).isEqualTo("42");
        }

        @Test
        void rejects_blank_strings_where_non_blank_is_required() throws ConfigException {
            assertThat(scalar(" x ").asNonBlankString()).isEqualTo(" x ");
            assertThatThrownBy(() -> scalar("").asNonBlankString())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("(expected: a non-empty string)");
            assertThatThrownBy(() -> scalar(" \t").asNonBlankString()).isInstanceOf(ConfigException.class);
        }

        @Test
        void rejects_objects_lists_and_null_as_strings() {
            assertThatThrownBy(() -> object(Map.of()).asString()).hasMessageContaining("found an object");
            assertThatThrownBy(() -> ConfigNode.fromValue(List.of(), "t").asString())
                    .hasMessageContaining("found a list");
            assertThatThrownBy(() -> ConfigNode.fromValue(null, "t").asString()).hasMessageContaining("found null");
        }
    }

    @Nested
    class Choices {
        private final List<String> choices = List.of("round_robin", "least_requests", "random");

        @Test
        void accepts_a_listed_choice() throws ConfigException {
            assertThat(scalar("random").asChoice(choices)).isEqualTo("random");
        }

        @Test
        void suggests_the_closest_choice_for_a_typo() {
            assertThatThrownBy(() -> scalar("round_robn").asChoice(choices))
                    .hasMessageEndingWith(
                            "(expected: one of round_robin, least_requests, random; did you mean 'round_robin'?)");
        }

        @Test
        void choices_are_case_sensitive_but_suggest_the_right_spelling() {
            assertThatThrownBy(() -> scalar("Random").asChoice(choices))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("did you mean 'random'?");
        }

        @Test
        void lists_the_choices_without_a_suggestion_when_nothing_is_close() {
            assertThatThrownBy(() -> scalar("weighted_by_latency").asChoice(choices))
                    .hasMessageEndingWith("(expected: one of round_robin, least_requests, random)");
        }

        @Test
        void rejects_non_scalars() {
            assertThatThrownBy(
                            () -> ConfigNode.fromValue(List.of("random"), "t").asChoice(choices))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("found a list");
        }
    }

    @Nested
    class Lists {
        @Test
        void reads_a_single_string_as_a_list_of_one() throws ConfigException {
            assertThat(scalar("GET").asStringList()).containsExactly("GET");
        }

        @Test
        void reads_a_list_of_strings_in_order() throws ConfigException {
            List<String> values =
                    ConfigNode.fromValue(List.of("GET", "POST", 42), "t").asStringList();

            assertThat(values).containsExactly("GET", "POST", "42");
            assertThatThrownBy(() -> values.add("DELETE")).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void names_the_item_that_is_not_a_string() {
            ConfigNode node = object(Map.of("methods", List.of("GET", Map.of("a", "b"))));

            assertThatThrownBy(() -> node.asMap().get("methods").asStringList())
                    .hasMessage("test: methods[1]: found an object (expected: a string)");
        }

        @Test
        void rejects_null_and_objects_as_lists() {
            assertThatThrownBy(() -> ConfigNode.fromValue(null, "t").asStringList())
                    .hasMessageContaining("found null (expected: a list)");
            assertThatThrownBy(() -> object(Map.of("a", "b")).asList())
                    .hasMessageContaining("found an object (expected: a list)");
        }

        @Test
        void reads_objects_as_maps_only() throws ConfigException {
            assertThat(object(Map.of("a", "b")).asMap()).containsOnlyKeys("a");
            assertThatThrownBy(() -> scalar("a").asMap()).hasMessageContaining("(expected: an object)");
        }
    }

    @Nested
    class ObjectFields {
        @Test
        void reads_present_keys_and_falls_back_to_defaults_for_absent_ones() throws ConfigException {
            ConfigNode node = object(ordered(
                    "name", "orders",
                    "public", true,
                    "port", 8443,
                    "timeout", "5s",
                    "max_body", "64KiB",
                    "strategy", "random",
                    "methods", "GET"));
            ConfigNode.Fields f = node.fields();

            assertThat(f.string("name", "x")).isEqualTo("orders");
            assertThat(f.bool("public", false)).isTrue();
            assertThat(f.integer("port", 0, 65535, 80)).isEqualTo(8443);
            assertThat(f.duration("timeout", Duration.ZERO, Duration.ofHours(1), Duration.ofSeconds(30)))
                    .isEqualTo(Duration.ofSeconds(5));
            assertThat(f.bytes("max_body", 0, 1L << 40, 1)).isEqualTo(65536);
            assertThat(f.choice("strategy", List.of("random", "round_robin"), "round_robin"))
                    .isEqualTo("random");
            assertThat(f.stringList("methods")).containsExactly("GET");
            assertThat(f.string("absent", "dflt")).isEqualTo("dflt");
            assertThat(f.bool("absent_bool", true)).isTrue();
            assertThat(f.integer("absent_int", 0, 10, 7)).isEqualTo(7);
            assertThat(f.duration("absent_d", Duration.ZERO, Duration.ofHours(1), Duration.ofSeconds(30)))
                    .isEqualTo(Duration.ofSeconds(30));
            assertThat(f.bytes("absent_b", 0, 10, -1)).isEqualTo(-1);
            assertThat(f.choice("absent_c", List.of("a"), "a")).isEqualTo("a");
            assertThat(f.stringList("absent_l")).isEmpty();
            f.finish();
        }

        @Test
        void treats_an_explicit_null_as_absent() throws ConfigException {
            ConfigNode.Fields f = object(ordered("port", null)).fields();

            assertThat(f.has("port")).isTrue();
            assertThat(f.optional("port")).isEmpty();
            assertThat(f.integer("port", 0, 65535, 9901)).isEqualTo(9901);
            f.finish();
        }

        @Test
        void reads_a_null_node_as_an_empty_object() throws ConfigException {
            ConfigNode.Fields f = ConfigNode.fromValue(null, "t").fields();

            assertThat(f.string("a", "d")).isEqualTo("d");
            f.finish();
        }

        @Test
        void refuses_to_read_fields_of_a_scalar_or_list() {
            assertThatThrownBy(() -> scalar("x").fields()).hasMessageEndingWith("found \"x\" (expected: an object)");
            assertThatThrownBy(() -> ConfigNode.fromValue(List.of(), "t").fields())
                    .hasMessageContaining("found a list (expected: an object)");
        }

        @Test
        void returns_a_present_required_key() throws ConfigException {
            ConfigNode.Fields f = object(Map.of("allow_origins", "*")).fields();

            assertThat(f.required("allow_origins").asString()).isEqualTo("*");
            f.finish();
        }

        @Test
        void a_missing_required_key_names_the_key_and_its_parent() throws ConfigException {
            ConfigNode root = object(Map.of("upstream", Map.of("timeout", "1s")));
            ConfigNode.Fields f = root.asMap().get("upstream").fields();

            ConfigException e = assertThrows(ConfigException.class, () -> f.required("targets"));

            assertThat(e.getMessage())
                    .isEqualTo("test: upstream.targets: found nothing (expected: the required key 'targets')");
            assertThat(e.errors()).singleElement().satisfies(err -> {
                assertThat(err.key()).isEqualTo("upstream.targets");
                assertThat(err.found()).isEqualTo("nothing");
            });
        }

        @Test
        void an_explicit_null_does_not_satisfy_a_required_key() throws ConfigException {
            ConfigNode.Fields f =
                    ConfigNode.fromValue(ordered("allow_origins", null), "t").fields();

            assertThatThrownBy(() -> f.required("allow_origins"))
                    .hasMessage("t: allow_origins: found nothing (expected: the required key 'allow_origins')");
        }

        @Test
        void finish_suggests_the_closest_known_key_for_a_typo() throws ConfigException {
            ConfigNode node = object(ordered("drain_timout", "10s"));
            ConfigNode.Fields f = node.fields();
            f.duration("drain_timeout", Duration.ZERO, Duration.ofMinutes(10), Duration.ofSeconds(30));
            f.integer("event_queue_size", 16, 1 << 20, 16384);

            assertThatThrownBy(f::finish)
                    .hasMessage("test: drain_timout: found unknown key 'drain_timout' (expected: a known key; did you"
                            + " mean 'drain_timeout'?)");
        }

        @Test
        void finish_lists_the_known_keys_when_no_key_is_close() throws ConfigException {
            ConfigNode.Fields f = object(ordered("colour", "blue")).fields();
            f.optional("max_body_bytes");
            f.optional("max_headers");

            assertThatThrownBy(f::finish)
                    .hasMessage("test: colour: found unknown key 'colour' (expected: one of the keys max_body_bytes,"
                            + " max_headers)");
        }

        @Test
        void finish_reports_every_unknown_key_at_once() throws ConfigException {
            ConfigNode.Fields f =
                    object(ordered("a", 1, "zzz", 2, "b", 3, "yyy", 4)).fields();
            f.optional("a");
            f.optional("b");

            ConfigException e = assertThrows(ConfigException.class, f::finish);

            assertThat(e.errors()).extracting(ConfigError::key).containsExactly("zzz", "yyy");
            assertThat(e.getMessage())
                    .contains("\n")
                    .contains("unknown key 'zzz'")
                    .contains("unknown key 'yyy'");
        }

        @Test
        void finish_passes_when_every_key_was_read() throws ConfigException {
            ConfigNode.Fields f = object(ordered("a", 1, "b", null)).fields();
            f.optional("a");
            f.optional("b");
            f.finish();
        }

        @Test
        void has_does_not_count_as_reading_a_key() throws ConfigException {
            ConfigNode.Fields f = object(ordered("secret_key", "x")).fields();

            assertThat(f.has("secret_key")).isTrue();
            assertThat(f.has("other")).isFalse();
            assertThatThrownBy(f::finish).hasMessageContaining("unknown key 'secret_key'");
        }
    }

    @Nested
    class Describe {
        @Test
        void describes_kinds_without_their_content() {
            assertThat(object(Map.of("password", "hunter2")).describe()).isEqualTo("an object");
            assertThat(ConfigNode.fromValue(List.of("hunter2"), "t").describe()).isEqualTo("a list");
            assertThat(ConfigNode.fromValue(null, "t").describe()).isEqualTo("null");
            assertThat(scalar("10mb").describe()).isEqualTo("\"10mb\"");
        }

        @Test
        void never_prints_a_secret_value() {
            String token = "s3cr3t-admin-token-0123456789";
            ConfigNode node = secret(token);

            assertThat(node.describe()).isEqualTo("a secret value");
            assertThat(node.toString()).doesNotContain(token);
            List<Throwable> errors = new ArrayList<>();
            errors.add(assertThrows(ConfigException.class, node::asBoolean));
            errors.add(assertThrows(ConfigException.class, () -> node.asLong(0, 10)));
            errors.add(assertThrows(ConfigException.class, () -> node.asInt(0, 10)));
            errors.add(assertThrows(ConfigException.class, () -> node.asDuration(Duration.ZERO, Duration.ofDays(1))));
            errors.add(assertThrows(ConfigException.class, () -> node.asBytes(0, 10)));
            errors.add(assertThrows(ConfigException.class, () -> node.asChoice(List.of("bearer", "basic"))));
            errors.add(assertThrows(ConfigException.class, node::asList));
            errors.add(assertThrows(ConfigException.class, node::asMap));
            errors.add(assertThrows(ConfigException.class, node::fields));
            errors.add(node.error("a valid token"));

            assertThat(errors)
                    .allSatisfy(e -> assertThat(e.getMessage())
                            .contains("admin.token: found a secret value")
                            .doesNotContain(token)
                            .doesNotContain("s3cr3t"));
        }

        @Test
        void never_prints_a_blank_secret_value() {
            ConfigNode node = secret("   ");

            assertThatThrownBy(node::asNonBlankString)
                    .hasMessage("bulwark.yaml:12:19: admin.token: found a secret value (expected: a non-empty string)");
        }

        @Test
        void secret_values_stay_readable_to_the_code() throws ConfigException {
            assertThat(secret("42").asLong(0, 100)).isEqualTo(42);
            assertThat(secret("tok").asString()).isEqualTo("tok");
        }

        @Test
        void shows_values_up_to_80_characters_in_full() {
            String value = "x".repeat(80);

            assertThat(scalar(value).describe()).isEqualTo("\"" + value + "\"");
        }

        @Test
        void truncates_longer_values() {
            String value = "a".repeat(77) + "TAIL" + "b".repeat(10_000);

            assertThat(scalar(value).describe())
                    .isEqualTo("\"" + "a".repeat(77) + "...\"")
                    .hasSize(82)
                    .doesNotContain("TAIL");
            assertThatThrownBy(() -> scalar(value).asBoolean()).hasMessageNotContaining("bbbb");
        }

        @Test
        void escapes_control_characters() {
            String value = "a\nb\rc\u0000d\te\u001b[31mf\u007fg";

            assertThat(scalar(value).describe()).isEqualTo("\"a\\u000ab\\u000dc\\u0000d\\u0009e\\u001b[31mf\\u007fg\"");
        }

        @Test
        void an_error_for_a_forged_log_line_stays_on_one_line() {
            ConfigNode node = scalar("10s\nbulwark.yaml:1:1: admin.token: found \"ok\"");

            assertThatThrownBy(() -> node.asDuration(Duration.ZERO, Duration.ofDays(1)))
                    .isInstanceOf(ConfigException.class)
                    .satisfies(
                            e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("\r"));
        }

        @Test
        void escapes_control_characters_after_truncation() {
            String value = "\n".repeat(200);

            assertThat(scalar(value).describe())
                    .isEqualTo("\"" + "\\u000a".repeat(77) + "...\"")
                    .doesNotContain("\n");
        }

        /** NEL (U+0085) ends lines in some log viewers and U+009B is the 8-bit CSI terminal escape. */
        @Test
        void escapes_c1_control_characters() {
            String value = "a\u0085b\u009b2Jc";

            assertThat(scalar(value).describe()).isEqualTo("\"a\\u0085b\\u009b2Jc\"");
        }

        @Test
        void keeps_printable_unicode() {
            assertThat(scalar("caf\u00e9 \u6771\u4eac").describe()).isEqualTo("\"caf\u00e9 \u6771\u4eac\"");
        }

        @Test
        void to_string_shows_path_location_and_safe_value() {
            assertThat(scalar("10s").toString()).isEqualTo("limits.value@bulwark.yaml:12:19=\"10s\"");
        }
    }

    @Nested
    class FromValue {
        @Test
        void builds_objects_lists_scalars_and_nulls_with_paths() throws ConfigException {
            Map<String, Object> route = ordered("id", "orders", "upstream", null, "policies", List.of("cors"));
            ConfigNode root = ConfigNode.fromValue(ordered("routes", List.of(route), "port", 8080), "inline");

            assertThat(root.kind()).isEqualTo(ConfigNode.Kind.OBJECT);
            assertThat(root.path()).isEmpty();
            assertThat(root.location()).isEqualTo(new Location("inline", 0, 0));
            assertThat(root.asMap()).containsOnlyKeys("routes", "port");

            ConfigNode routes = root.asMap().get("routes");
            assertThat(routes.kind()).isEqualTo(ConfigNode.Kind.LIST);
            assertThat(routes.path()).isEqualTo("routes");

            ConfigNode first = routes.asList().get(0);
            assertThat(first.path()).isEqualTo("routes[0]");
            assertThat(first.asMap().keySet()).containsExactly("id", "upstream", "policies");
            assertThat(first.asMap().get("id").path()).isEqualTo("routes[0].id");
            assertThat(first.asMap().get("upstream").isNull()).isTrue();
            assertThat(first.asMap().get("policies").asList().get(0).path()).isEqualTo("routes[0].policies[0]");

            ConfigNode port = root.asMap().get("port");
            assertThat(port.kind()).isEqualTo(ConfigNode.Kind.SCALAR);
            assertThat(port.asString()).isEqualTo("8080");
            assertThat(port.asInt(0, 65535)).isEqualTo(8080);
        }

        @Test
        void stringifies_non_string_scalars_and_keys() throws ConfigException {
            Map<Object, Object> map = new LinkedHashMap<>();
            map.put(1, true);
            map.put("ratio", 1.5);
            ConfigNode node = ConfigNode.fromValue(map, "t");

            assertThat(node.asMap().get("1").asBoolean()).isTrue();
            assertThat(node.asMap().get("ratio").asString()).isEqualTo("1.5");
        }

        @Test
        void builds_a_null_node_from_null() {
            ConfigNode node = ConfigNode.fromValue(null, "t");

            assertThat(node.isNull()).isTrue();
            assertThat(node.kind()).isEqualTo(ConfigNode.Kind.NULL);
        }

        @Test
        void nodes_do_not_change_when_their_source_collections_do() throws ConfigException {
            Map<String, ConfigNode> fields = new LinkedHashMap<>(Map.of("a", scalar("1")));
            List<ConfigNode> items = new ArrayList<>(List.of(scalar("1")));
            ConfigNode obj = ConfigNode.object("o", LOC, fields);
            ConfigNode list = ConfigNode.list("l", LOC, items);

            fields.put("b", scalar("2"));
            items.add(scalar("2"));

            assertThat(obj.asMap()).containsOnlyKeys("a");
            assertThat(list.asList()).hasSize(1);
            assertThatThrownBy(() -> obj.asMap().put("c", scalar("3")))
                    .isInstanceOf(UnsupportedOperationException.class);
            assertThatThrownBy(() -> list.asList().clear()).isInstanceOf(UnsupportedOperationException.class);
        }

        @Test
        void child_paths_join_with_a_dot_except_at_the_root() {
            assertThat(ConfigNode.child("", "routes")).isEqualTo("routes");
            assertThat(ConfigNode.child("routes[0]", "id")).isEqualTo("routes[0].id");
        }

        @Test
        void refuses_null_scalars_paths_and_locations() {
            assertThatThrownBy(() -> ConfigNode.scalar("p", LOC, null, false)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ConfigNode.scalar(null, LOC, "v", false)).isInstanceOf(NullPointerException.class);
            assertThatThrownBy(() -> ConfigNode.scalar("p", null, "v", false)).isInstanceOf(NullPointerException.class);
        }

        @Test
        void keeps_the_order_of_list_items() throws ConfigException {
            List<String> values = Arrays.asList("c", "a", "b");

            assertThat(ConfigNode.fromValue(values, "t").asStringList()).containsExactly("c", "a", "b");
        }
    }
}
