package io.bulwark.inspect;

import static io.bulwark.inspect.Values.header;
import static io.bulwark.inspect.Values.query;
import static io.bulwark.inspect.Values.run;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProtocolDetectorTest {
    private final ProtocolDetector detector = new ProtocolDetector();

    private int level(InspectedValue v) {
        return Values.level(detector, v);
    }

    private static InspectedValue json(String v) {
        return Values.value(Location.Source.JSON, "/comment", v);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "en\r\nSet-Cookie: session=attacker",
                "/home\r\nLocation: http://evil.com/",
                "foobar\r\nContent-Length: 0\r\n\r\nHTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<html>x</html>",
                "x\nX-Forwarded-For: 127.0.0.1",
                "a\r\n\r\nGET /admin HTTP/1.1\r\nHost: internal",
                "var\nPOST / HTTP/1.1",
                "aaa\rHEAD http://example.com/ HTTP/1.1",
                "x\r\nTransfer-Encoding: chunked",
                "munchmuch\r\n\r\n<HTML><title></title></HTML>",
                "x\r\nrefresh: 0; url=http://evil.com"
            })
    void flags_response_splitting_and_smuggling_in_parameters(String v) {
        List<Finding> findings = run(detector, query(v));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.paranoia()).isEqualTo(1);
            assertThat(f.category()).isEqualTo(Category.PROTOCOL);
            assertThat(f.evidence()).doesNotContain("\r", "\n");
        });
    }

    @Test
    void flags_framing_headers_and_second_requests_in_bodies_at_level_1_other_headers_at_level_2() {
        assertThat(level(json("x\r\nSet-Cookie: a=b"))).isEqualTo(1);
        assertThat(level(json("x\r\n\r\nPOST /admin HTTP/1.1"))).isEqualTo(1);
        assertThat(level(json("Dear Bob,\nLocation: Paris"))).isEqualTo(2);
    }

    @Test
    void flags_transfer_encoding_inside_a_value() {
        assertThat(level(json("Transfer-Encoding: chunked"))).isEqualTo(1);
    }

    @Test
    void flags_any_line_break_in_header_values_path_and_parameter_names() {
        assertThat(level(header("X-Note", "Headerdata\rInjectedHeader: response_splitting_code")))
                .isEqualTo(1);
        assertThat(level(header("X-Note", "a\nb"))).isEqualTo(1);
        assertThat(level(Values.value(Location.Source.PATH, "", "/foo\nbar"))).isEqualTo(1);
        assertThat(level(Values.key(Location.Source.QUERY, "parameter\r\n"))).isEqualTo(1);
    }

    @Test
    void flags_line_breaks_in_query_and_cookie_values_at_level_2() {
        assertThat(level(query("test\rnext=more"))).isEqualTo(2);
        assertThat(level(Values.value(Location.Source.COOKIE, "c", "a\nb"))).isEqualTo(2);
    }

    @Test
    void flags_request_line_without_line_break_at_level_2() {
        assertThat(level(query("GET http://www.foo.bar HTTP/1.1"))).isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Dear team,\nplease find the report attached.\nRegards: Alice",
                "line one\r\nline two",
                "Note: see below",
                "We use HTTP/2 now",
                "GET requests are cached",
                "Transfer encoding is chunked here",
                "Subject: hello"
            })
    void ignores_multi_line_text_in_bodies(String v) {
        assertThat(run(detector, json(v))).isEmpty();
    }

    @Test
    void ignores_normal_header_values() {
        assertThat(run(detector, header("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) Gecko/20100101")))
                .isEmpty();
        assertThat(run(detector, header("Accept", "text/html,application/xhtml+xml;q=0.9")))
                .isEmpty();
    }

    @Test
    void flags_content_length_with_transfer_encoding() {
        List<Finding> f = ProtocolDetector.inspectHeaders(
                List.of(Map.entry("Content-Length", "6"), Map.entry("Transfer-Encoding", "chunked")));
        assertThat(f).singleElement().satisfies(x -> {
            assertThat(x.paranoia()).isEqualTo(1);
            assertThat(x.location().toString()).isEqualTo("header.Transfer-Encoding");
        });
    }

    @Test
    void flags_conflicting_content_lengths() {
        assertThat(ProtocolDetector.inspectHeaders(
                        List.of(Map.entry("Content-Length", "6"), Map.entry("content-length", "5"))))
                .singleElement()
                .satisfies(x -> assertThat(x.confidence()).isEqualTo(0.95));
        assertThat(ProtocolDetector.inspectHeaders(
                        List.of(Map.entry("Content-Length", "6"), Map.entry("Content-Length", "6"))))
                .isEmpty();
        assertThat(ProtocolDetector.inspectHeaders(List.of(Map.entry("Content-Length", "6, 7"))))
                .hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"chunked, identity", "xchunked", "identity", "chunked;q=1", "gzip, chunked"})
    void flags_transfer_encoding_other_than_chunked(String te) {
        assertThat(ProtocolDetector.inspectHeaders(List.of(Map.entry("Transfer-Encoding", te))))
                .singleElement()
                .satisfies(x -> assertThat(x.paranoia()).isEqualTo(1));
    }

    @Test
    void flags_oddly_spelled_chunked_at_level_2_and_repeated_transfer_encoding_at_level_1() {
        assertThat(ProtocolDetector.inspectHeaders(List.of(Map.entry("Transfer-Encoding", " Chunked"))))
                .singleElement()
                .satisfies(x -> assertThat(x.paranoia()).isEqualTo(2));
        assertThat(ProtocolDetector.inspectHeaders(
                        List.of(Map.entry("Transfer-Encoding", "chunked"), Map.entry("Transfer-Encoding", "chunked"))))
                .singleElement()
                .satisfies(x -> assertThat(x.paranoia()).isEqualTo(1));
    }

    @Test
    void flags_malformed_header_names_and_obs_fold() {
        assertThat(ProtocolDetector.inspectHeaders(List.of(Map.entry("Transfer-Encoding ", "chunked"))))
                .hasSize(1);
        assertThat(ProtocolDetector.inspectHeaders(List.of(Map.entry(" X-Folded", "continued"))))
                .hasSize(1);
        assertThat(ProtocolDetector.inspectHeaders(List.of(Map.entry("X-A", "one\r\n two"))))
                .hasSize(1);
        assertThat(ProtocolDetector.inspectHeaders(List.of(Map.entry("", "x")))).hasSize(1);
    }

    @Test
    void never_puts_a_header_value_in_evidence() {
        assertThat(ProtocolDetector.inspectHeaders(List.of(Map.entry("Authorization", "Bearer s3cr3t\r\nX: y"))))
                .singleElement()
                .satisfies(f -> assertThat(f.evidence()).doesNotContain("s3cr3t"));
        assertThat(ProtocolDetector.inspectHeaders(List.of(Map.entry("Authorization ", "Bearer s3cr3t"))))
                .singleElement()
                .satisfies(f -> assertThat(f.evidence()).doesNotContain("s3cr3t"));
    }

    @Test
    void accepts_a_normal_request() {
        assertThat(ProtocolDetector.inspectHeaders(List.of(
                        Map.entry("Host", "api.example.com"),
                        Map.entry("Content-Type", "application/json"),
                        Map.entry("Content-Length", "42"),
                        Map.entry("X-Request-Id", "abc"))))
                .isEmpty();
        assertThat(ProtocolDetector.inspectHeaders(List.of(Map.entry("Transfer-Encoding", "chunked"))))
                .isEmpty();
    }

    @Test
    void stays_linear_on_adversarial_input() {
        long start = System.nanoTime();
        assertThat(run(detector, json("\r\n".repeat(500_000)))).isEmpty();
        assertThat(run(detector, json(" http/1".repeat(150_000)))).isEmpty();
        assertThat(run(detector, json("\nGET /".repeat(150_000)))).hasSize(1);
        assertThat(run(detector, json("\nGET /" + "a".repeat(1 << 20)))).hasSize(1);
        assertThat(run(detector, json("x".repeat(1 << 20) + " HTTP/1.1"))).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(5_000_000_000L);
    }
}
