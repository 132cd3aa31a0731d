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

class XssDetectorTest {
    private final XssDetector detector = new XssDetector();

    @Test
    void reports_category_location_evidence_and_level() {
        List<Finding> found = findings(detector, "<script>alert(1)</script>");

        assertThat(found).hasSize(1);
        Finding f = found.get(0);
        assertThat(f.category()).isEqualTo(Category.XSS);
        assertThat(f.location()).isEqualTo(Values.LOCATION);
        assertThat(f.paranoia()).isEqualTo(1);
        assertThat(f.confidence()).isBetween(0.9, 1.0);
        assertThat(f.evidence()).startsWith("<script>");
    }

    @Test
    void reports_at_most_one_finding_per_form() {
        // raw and URL-decoded differ: two forms, two findings at most
        List<Finding> found = findings(detector, "%3Cscript%3Ealert(1)%3C/script%3E<img src=x onerror=alert(1)>");

        assertThat(found).hasSize(2);
    }

    @Test
    void inspects_names_too() {
        InspectedValue key = new InspectedValue(
                "<img src=x onerror=alert(1)>",
                List.of("<img src=x onerror=alert(1)>"),
                Location.of(Location.Source.JSON, "/comment"),
                true);
        List<Finding> found = new java.util.ArrayList<>();

        detector.inspect(key, found::add);

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.paranoia()).isEqualTo(1);
            assertThat(f.location().toString()).isEqualTo("json./comment");
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<script>alert(1)</script>",
                "<ScRiPt src=//evil.example/x.js></script>",
                "<img src=x onerror=alert(1)>",
                "<svg/onload=alert(1)>",
                "<body onload=alert('xss')>",
                "<iframe src=\"https://evil.example\"></iframe>",
                "<object data=x.swf>",
                "<embed src=x.swf>",
                "<a href=\"javascript:alert(1)\">click</a>",
                "<a href=\"jav&#x09;ascript:alert(1)\">x</a>",
                "<a href=\"jav\tascript:alert(1)\">x</a>",
                "<a href='&#106;avascript:alert(1)'>x</a>",
                "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
                "<base href=\"https://evil.example/\">",
                "<link rel=stylesheet href=https://evil.example/x.css>",
                "<style>@import 'https://evil.example/x.css';</style>",
                "<div style=\"width: expr/**/ession(alert(1))\">",
                "\" onmouseover=\"alert(1)",
                "' autofocus onfocus=alert(1) x='",
                "\"><script>alert(1)</script>",
                "</script><script>alert(1)</script>",
                "';alert(1)//",
                "\";alert(document.cookie);//",
                "javascript:alert(document.domain)",
                "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
                "%3Cscript%3Ealert(1)%3C%2Fscript%3E",
                "<img+src=x+onerror=prompt(1)>",
                "<details open ontoggle=alert(1)>",
                "<x onclick=alert(1)>click",
                "<iframe srcdoc=\"<img src=x onerror=alert(1)>\">",
                "<x:script xmlns:x=\"http://www.w3.org/1999/xhtml\">alert(1)</x:script>",
            })
    void flags_attacks_at_level_one(String payload) {
        assertThat(level(detector, payload)).as(payload).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "<svg><desc>x</desc></svg>",
                "<form action=https://evil.example/login>",
                "<a href=\"https://example.com\">home</a>",
                "alert(1)",
                "confirm(2)>",
                "</title><h1>hi</h1>",
                "onerror=alert",
            })
    void flags_weaker_signals_at_level_two(String payload) {
        assertThat(level(detector, payload)).as(payload).isEqualTo(2);
    }

    @Test
    void flags_a_bare_bold_tag_only_at_level_three() {
        assertThat(level(detector, "<b>important</b>")).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Tom & Jerry",
                "a < b and b > c",
                "if x<3 then y>4",
                "I <3 this product",
                "O'Brien said \"hello\"",
                "javascript: the good parts",
                "Learn JavaScript: closures and scopes",
                "Turn on=off switch",
                "email me at john.doe@example.com",
                "price: 10 < 20 > 5",
                "https://example.com/search?q=shoes&size=42",
                "data: 12, 13, 14",
                "C:\\Users\\me\\file.txt",
                "{{name}}",
                "confirmation number 12345",
                "the evaluation (final) is done",
                "1 << 4",
                "<<<>>>",
                "see you @ 5pm; ok",
                "<?xml version=\"1.0\"?><xml><element>value</element></xml>",
                "John Doe <john.doe@example.com>",
            })
    void does_not_flag_normal_input_at_level_one(String value) {
        assertThat(level(detector, value)).as(value).isGreaterThan(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Tom & Jerry", "a < b", "Dear Sir, please find attached.", "O'Reilly", "x=1; y=2"})
    void does_not_flag_prose_at_any_level(String value) {
        assertThat(findings(detector, value)).as(value).isEmpty();
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stays_linear_on_a_megabyte_of_angle_brackets() {
        assertBounded("<".repeat(1 << 20));
        assertBounded("<a ".repeat(1 << 18));
        assertBounded("<a href=\"".repeat(1 << 17));
        assertBounded("\"".repeat(1 << 20));
        assertBounded(" on".repeat(1 << 18) + "x");
        assertBounded(":".repeat(1 << 20));
    }

    private void assertBounded(String value) {
        long start = System.nanoTime();
        detector.inspect(new InspectedValue(value, List.of(value), Values.LOCATION, false), f -> {});
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
