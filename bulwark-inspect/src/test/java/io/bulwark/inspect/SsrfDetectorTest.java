package io.bulwark.inspect;

import static io.bulwark.inspect.Values.level;
import static io.bulwark.inspect.Values.query;
import static io.bulwark.inspect.Values.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SsrfDetectorTest {
    private final SsrfDetector detector = new SsrfDetector();

    private int level(String value) {
        return Values.level(detector, query(value));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://127.0.0.1/admin",
                "http://localhost:8080/",
                "https://api.localhost/x",
                "http://169.254.169.254/latest/meta-data/",
                "http://metadata.google.internal/computeMetadata/v1/",
                "http://100.100.100.200/latest/meta-data",
                "http://[fd00:ec2::254]/latest/meta-data",
                "http://10.0.0.5/",
                "http://172.16.3.4:9200/_cat",
                "http://192.168.1.1/",
                "http://100.64.0.1/",
                "http://0.0.0.0:8080/",
                "http://[::1]/",
                "http://[fe80::1%25eth0]/",
                "http://[fc00::1]/",
                "HTTP://LOCALHOST/",
                "http://localhost./",
                "http://host.docker.internal:2375/containers/json",
                "http://10.0.0.1.nip.io/"
            })
    void flags_internal_urls_at_level_1(String url) {
        assertThat(level(url)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://2130706433/",
                "http://0177.0.0.1/",
                "http://0x7f.1/",
                "http://0x7f000001/",
                "http://127.1/",
                "http://0177.00.00.01",
                "http://017700000001",
                "http://0x7f.0.0.1",
                "http://127.0.1",
                "http://2852039166/",
                "http://7147006462/",
                "http://0x41414141A9FEA9FE/",
                "http://0xA9.0xFE.0xA9.0xFE/",
                "http://0251.0376.0251.0376/",
                "http://169.254.43518/",
                "http://169.16689662/"
            })
    void flags_every_ipv4_spelling(String url) {
        List<Finding> findings = run(detector, query(url));
        assertThat(findings).hasSize(1);
        assertThat(findings.get(0).paranoia()).isEqualTo(1);
        assertThat(findings.get(0).confidence()).isGreaterThanOrEqualTo(0.95);
    }

    @Test
    void flags_decimal_loopback_url() {
        Finding f = run(detector, query("http://2130706433/admin")).get(0);
        assertThat(f.category()).isEqualTo(Category.SSRF);
        assertThat(f.evidence()).startsWith("http://2130706433");
        assertThat(f.location().toString()).isEqualTo("query.q");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://[::ffff:127.0.0.1]/",
                "http://[::ffff:7f00:1]/",
                "http://[0:0:0:0:0:ffff:a9fe:a9fe]/",
                "http://[::ffff:a9fe:a9fe]",
                "http://[0:0:0:0:0:0:169.254.169.254]",
                "http://[::127.0.0.1]/",
                "http://[::]/",
                "http://[64:ff9b::a9fe:a9fe]/",
                "http://[2002:7f00:1::]/"
            })
    void flags_ipv6_spellings(String url) {
        assertThat(level(url)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http://good.com@127.0.0.1/",
                "http://user:pass@169.254.169.254/",
                "http://google.com:80 &@google.com:80# @127.88.23.245:22/",
                "http://google.com:80 &@127.88.23.245:22/# @google.com:80/",
                "http://127.0.0.1@evil.com/"
            })
    void flags_userinfo_tricks(String url) {
        assertThat(level(url)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "gopher://evil.com:70/_GET",
                "dict://evil.com:11211/stat",
                "file:///etc/passwd",
                "jar:http://evil.com/x.jar!/",
                "netdoc:/etc/passwd",
                "local_file:///etc/passwd",
                "gopher://0x7f000001"
            })
    void flags_dangerous_schemes(String url) {
        assertThat(level(url)).isEqualTo(1);
    }

    @Test
    void flags_ldap_url_at_level_2() {
        assertThat(level("ldap://evil.com/o=x")).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "http:127.0.0.1",
                "http:/2852039166",
                "http:0xA9FEA9FE",
                "http:[::ffff:a9fe:a9fe]",
                "acap://①②⑦.⓪.⓪.①",
                "imap://①⑥⑨.②⑤④.①⑥⑨.②⑤④",
                "irc://ⓛⓞⓒⓐⓛⓗⓞⓢⓣ",
                "pop3://ⓁⓄⒸⒶⓁⒽⓄⓈⓉ",
                "http://169。254。169。254/",
                "http://\\\\l\\\\o\\\\c\\\\a\\\\l\\\\h\\\\o\\\\s\\\\t/",
                "rsync://[0:0:0:0:0:ffff:169.254.169.254]",
                "see http://localhost/admin for details"
            })
    void flags_unusual_url_forms(String url) {
        assertThat(level(url)).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost/", "localhost:8080", "host.docker.internal/", "169.254.169.254/latest"})
    void flags_bare_internal_hosts_with_path_or_port(String value) {
        assertThat(level(value)).isEqualTo(1);
    }

    @Test
    void flags_bare_private_ip_with_port_at_level_2() {
        assertThat(level("10.1.2.3:6379")).isEqualTo(2);
        assertThat(level("192.168.0.10")).isEqualTo(3);
        assertThat(level("localhost")).isEqualTo(3);
    }

    @Test
    void flags_obfuscated_public_ip_at_level_2_and_public_ipv6_at_level_3() {
        assertThat(level("http://123456789/")).isEqualTo(2);
        assertThat(level("http://[2001:db8::1]/")).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "https://example.com/callback",
                "https://www.google.com/search?q=127.0.0.1",
                "http://8.8.8.8/",
                "https://api.github.com:443/repos",
                "mailto:alice@example.com",
                "Meeting at 10:30, room 127.1",
                "price: 10.5",
                "2130706433",
                "version 10.0.0.1 released",
                "https://cdn.example.org/img/127.0.0.1.png",
                "http://mylocalhost.com/",
                "https://localhost.example.com/",
                "urn:isbn:0451450523",
                "profile: file manager",
                "12:30:45",
                "",
                "https://user@example.com/"
            })
    void ignores_normal_values(String value) {
        assertThat(run(detector, query(value))).isEmpty();
    }

    @Test
    void reports_at_most_one_finding_per_form() {
        InspectedValue v = new InspectedValue(
                "http://127.0.0.1/ http://10.0.0.1/ gopher://x",
                List.of("http://127.0.0.1/ http://10.0.0.1/ gopher://x", "http%3A%2F%2F127.0.0.1"),
                Location.of(Location.Source.QUERY, "u"),
                false);
        assertThat(run(detector, v)).hasSize(1);
        InspectedValue w = new InspectedValue(
                "a", List.of("http://127.0.0.1/", "http://10.0.0.1/"), Location.of(Location.Source.QUERY, "u"), false);
        assertThat(run(detector, w)).hasSize(2);
    }

    @Test
    void stays_linear_on_a_megabyte_of_digits() {
        String digits = "1".repeat(1 << 20);
        long start = System.nanoTime();
        assertThat(run(detector, query("http://" + digits))).isEmpty();
        assertThat(run(detector, query(digits))).isEmpty();
        assertThat(run(detector, query("http://1." + digits))).isEmpty();
        assertThat(run(detector, query("://".repeat(300_000)))).isEmpty();
        assertThat(run(detector, query("http://a@".repeat(100_000)))).isNotNull();
        assertThat(run(detector, query("[" + ":".repeat(1 << 20)))).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }

    @Test
    void parses_ipv4_like_inet_aton() {
        assertThat(SsrfDetector.parseV4("127.0.0.1")).containsExactly(0x7f000001L, 0);
        assertThat(SsrfDetector.parseV4("127.1")).containsExactly(0x7f000001L, 1);
        assertThat(SsrfDetector.parseV4("0x7f.1")).containsExactly(0x7f000001L, 1);
        assertThat(SsrfDetector.parseV4("0177.0.0.1")).containsExactly(0x7f000001L, 1);
        assertThat(SsrfDetector.parseV4("2130706433")).containsExactly(0x7f000001L, 1);
        assertThat(SsrfDetector.parseV4("1.2.3.4.5")).isNull();
        assertThat(SsrfDetector.parseV4("256.1.1.1")).isNull();
        assertThat(SsrfDetector.parseV4("08.1.1.1")).isNull();
        assertThat(SsrfDetector.parseV4("example.com")).isNull();
    }

    @Test
    void parses_ipv6_by_hand() {
        assertThat(SsrfDetector.parseV6("::1")).containsExactly(0, 0, 0, 0, 0, 0, 0, 1);
        assertThat(SsrfDetector.parseV6("::ffff:127.0.0.1")).containsExactly(0, 0, 0, 0, 0, 0xffff, 0x7f00, 1);
        assertThat(SsrfDetector.parseV6("1:2:3:4:5:6:7:8")).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(SsrfDetector.parseV6("1::2::3")).isNull();
        assertThat(SsrfDetector.parseV6("12345::")).isNull();
        assertThat(SsrfDetector.parseV6("1:2:3:4:5:6:7:8:9")).isNull();
    }
}
