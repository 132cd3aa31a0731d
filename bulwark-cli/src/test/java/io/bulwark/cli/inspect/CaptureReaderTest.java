package io.bulwark.cli.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CaptureReaderTest {
    private static List<CapturedRequest> read(String text, CaptureReader.Format format) throws Exception {
        List<CapturedRequest> out = new ArrayList<>();
        new CaptureReader().read(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), format, out::add);
        return out;
    }

    @Test
    void reads_raw_http_requests_with_blank_lines_between_them_and_bodies_by_length() throws Exception {
        List<CapturedRequest> r = read("""
                GET /search?q=1%27%20OR%201=1 HTTP/1.1\r
                Host: shop\r
                \r

                POST http://shop/api/v2/users HTTP/1.1\r
                Content-Type: application/json\r
                Content-Length: 13\r
                \r
                {"role":"x"}
                GET /next HTTP/1.1
                Host: shop

                """, CaptureReader.Format.HTTP);
        assertThat(r).hasSize(3);
        assertThat(r.get(0).method()).isEqualTo("GET");
        assertThat(r.get(0).query()).isEqualTo("q=1%27%20OR%201=1");
        assertThat(r.get(1).path()).isEqualTo("/api/v2/users");
        assertThat(new String(r.get(1).body(), StandardCharsets.UTF_8)).isEqualTo("{\"role\":\"x\"}\n");
        assertThat(r.get(1).header("content-type")).isEqualTo("application/json");
        assertThat(r.get(2).target()).isEqualTo("/next");
    }

    @Test
    void reads_chunked_bodies_in_raw_http() throws Exception {
        List<CapturedRequest> r = read(
                "POST /x HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n",
                CaptureReader.Format.HTTP);
        assertThat(new String(r.get(0).body(), StandardCharsets.UTF_8)).isEqualTo("abcde");
    }

    @Test
    void refuses_broken_raw_http_naming_the_request() {
        assertThatThrownBy(() -> read("GET /a HTTP/1.1\r\n\r\nNOT A REQUEST\r\n\r\n", CaptureReader.Format.HTTP))
                .isInstanceOf(CaptureFormatException.class)
                .hasMessageContaining("request 1");
        assertThatThrownBy(() ->
                        read("POST /a HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\n", CaptureReader.Format.HTTP))
                .hasMessageContaining("Content-Length");
        assertThatThrownBy(() -> read("POST /a HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc", CaptureReader.Format.HTTP))
                .hasMessageContaining("ends inside the body");
        assertThatThrownBy(() ->
                        read("GET /a HTTP/1.1\r\nX: " + "a".repeat(70_000) + "\r\n\r\n", CaptureReader.Format.HTTP))
                .hasMessageContaining("over");
        assertThatThrownBy(() -> read("GET /a HTTP/1.1\r\nHost: x\r\n", CaptureReader.Format.HTTP))
                .hasMessageContaining("ends inside the headers");
    }

    @Test
    void reads_json_lines_with_header_maps_or_lists() throws Exception {
        List<CapturedRequest> r = read("""
                {"method":"get","url":"https://shop/api?q=%3Cscript%3E","headers":{"User-Agent":"x","Accept":["a","b"]}}

                {"method":"POST","url":"/api/v2/users","headers":[{"name":"Content-Type","value":"application/json"}],"body":"{\\"a\\":1}"}
                {"method":"PUT","url":"/b","body_base64":"aGk="}
                """, CaptureReader.Format.JSONL);
        assertThat(r).hasSize(3);
        assertThat(r.get(0).method()).isEqualTo("GET");
        assertThat(r.get(0).headers()).hasSize(3);
        assertThat(new String(r.get(1).body(), StandardCharsets.UTF_8)).isEqualTo("{\"a\":1}");
        assertThat(new String(r.get(2).body(), StandardCharsets.UTF_8)).isEqualTo("hi");
    }

    @Test
    void refuses_bad_json_lines_naming_the_line() {
        assertThatThrownBy(() -> read("{\"method\":\"GET\",\"url\":\"/\"}\n{oops\n", CaptureReader.Format.JSONL))
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> read("{\"url\":\"/\"}\n", CaptureReader.Format.JSONL))
                .hasMessageContaining("'method' is required");
        assertThatThrownBy(() -> read("[1,2]\n", CaptureReader.Format.JSONL)).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() ->
                        read("{\"method\":\"GET\",\"url\":\"/\",\"body_base64\":\"!!\"}\n", CaptureReader.Format.JSONL))
                .hasMessageContaining("base64");
        String deep = "{\"method\":\"GET\",\"url\":\"/\",\"x\":" + "[".repeat(1000) + "]".repeat(1000) + "}\n";
        assertThatThrownBy(() -> read(deep, CaptureReader.Format.JSONL)).isInstanceOf(CaptureFormatException.class);
    }

    @Test
    void reads_har_entries_skipping_other_members() throws Exception {
        List<CapturedRequest> r = read("""
                {"log": {"version": "1.2", "creator": {"name": "x", "nested": {"a": [1, 2]}},
                  "pages": [{"id": "p"}],
                  "entries": [
                    {"startedDateTime": "t", "request": {"method": "GET", "url": "https://shop/a?x=1",
                      "headers": [{"name": "Cookie", "value": "s=1"}]}, "response": {"status": 200}},
                    {"request": {"method": "POST", "url": "https://shop/b", "headers": [],
                      "postData": {"mimeType": "application/json", "text": "{\\"q\\":\\"1\\"}"}}}
                  ]}}
                """, CaptureReader.Format.HAR);
        assertThat(r).hasSize(2);
        assertThat(r.get(0).header("cookie")).isEqualTo("s=1");
        assertThat(new String(r.get(1).body(), StandardCharsets.UTF_8)).isEqualTo("{\"q\":\"1\"}");
        assertThatThrownBy(() -> read("{\"log\":{}}", CaptureReader.Format.HAR)).hasMessageContaining("entries");
        assertThatThrownBy(() -> read("{\"log\":{\"entries\":[{\"x\":1}]}}", CaptureReader.Format.HAR))
                .hasMessageContaining("entry 0");
    }
}
