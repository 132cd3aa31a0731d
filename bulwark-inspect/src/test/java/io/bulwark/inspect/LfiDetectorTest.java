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

class LfiDetectorTest {
    private final LfiDetector detector = new LfiDetector();

    @Test
    void reports_category_and_evidence() {
        assertThat(findings(detector, "../../../etc/passwd")).singleElement().satisfies(f -> {
            assertThat(f.category()).isEqualTo(Category.LFI);
            assertThat(f.paranoia()).isEqualTo(1);
            assertThat(f.evidence()).contains("passwd");
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "../../../etc/passwd",
                "..\\..\\..\\windows\\win.ini",
                "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
                "..%c0%af..%c0%afetc/passwd",
                "....//....//etc/passwd",
                "..../..../boot.ini",
                "/etc/passwd",
                "/etc/shadow",
                "/proc/self/environ",
                "C:\\windows\\win.ini",
                "c:/boot.ini",
                "../WEB-INF/web.xml",
                "/.htaccess",
                "/.git/config",
                "/.env",
                "php://filter/convert.base64-encode/resource=index.php",
                "file:///etc/passwd",
                "zip://shell.jpg%23payload.php",
                "phar://uploads/x.phar",
                "expect://id",
                "data://text/plain;base64,PD9waHAgc3lzdGVtKCRfR0VUWydjJ10pOyA/Pg==",
                "../../../../etc/passwd%00.jpg",
                "report.pdf%00",
                "/..0x2f..0x2fetc/passwd",
                "/0x2e0x2e/0x2e0x2e/etc/passwd",
                "images/../../../etc/passwd",
            })
    void flags_traversal_and_inclusion_at_level_one(String payload) {
        assertThat(level(detector, payload)).as(payload).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"../config.yml", "web-inf/web.xml", "/./././x", "/.....", "file:/tmp/x", "abc%00def"})
    void flags_weaker_signals_at_level_two(String payload) {
        assertThat(level(detector, payload)).as(payload).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "docs/readme.txt",
                "C:\\Users\\me\\file.txt",
                "/home/me/projects/report.pdf",
                "Wait... what?",
                "etc.",
                "The .env file is documented in README",
                "version 1.2..3",
                "https://example.com/a/b/c.html",
                "my passwd is secret",
                "see ./local/file",
                "images/cat.png",
                "Windows 11 settings",
                "v1.0...v2.0",
                "..",
                "...",
            })
    void does_not_flag_normal_input_at_level_one(String value) {
        assertThat(level(detector, value)).as(value).isGreaterThan(1);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stays_linear_on_a_megabyte_of_traversals() {
        assertBounded("../".repeat(1 << 18));
        assertBounded(".".repeat(1 << 20));
        assertBounded("/".repeat(1 << 20));
        assertBounded("\0".repeat(1 << 20));
        assertBounded("://".repeat(1 << 18));
        assertBounded("etc".repeat(1 << 18));
    }

    private void assertBounded(String value) {
        long start = System.nanoTime();
        detector.inspect(new InspectedValue(value, List.of(value), Values.LOCATION, false), f -> {});
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
