package io.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bulwark.demo.AcmeShopApi;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class InspectCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new BulwarkCli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    @Test
    void prints_one_json_line_per_request_in_input_order_and_exits_1_when_one_is_flagged() throws Exception {
        Path capture = dir.resolve("capture.http");
        Files.writeString(capture, """
                GET /search?q=shoes HTTP/1.1\r
                Host: shop\r
                \r
                GET /search?q=1%27%20UNION%20SELECT%20password%20FROM%20users--%20 HTTP/1.1\r
                Host: shop\r
                \r
                POST /comments HTTP/1.1\r
                Content-Type: application/json\r
                Content-Length: 46\r
                \r
                {"text":"<script>alert(document.cookie)</script>"}
                """.replace("Content-Length: 46", "Content-Length: 50"));
        Run r = run("inspect", "--input", capture.toString());
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        ObjectMapper m = new ObjectMapper();
        JsonNode first = m.readTree(lines.get(0));
        assertThat(first.get("index").asInt()).isZero();
        assertThat(first.get("path").asText()).isEqualTo("/search");
        assertThat(first.get("blocked").asBoolean()).isFalse();
        JsonNode second = m.readTree(lines.get(1));
        assertThat(second.get("blocked").asBoolean()).isTrue();
        assertThat(second.get("findings").get(0).get("category").asText()).isEqualTo("sqli");
        assertThat(second.get("findings").get(0).get("location").asText()).isEqualTo("query.q");
        JsonNode third = m.readTree(lines.get(2));
        assertThat(third.get("method").asText()).isEqualTo("POST");
        assertThat(third.get("findings").findValuesAsText("category")).contains("xss");
        assertThat(third.get("findings").findValuesAsText("location")).contains("json./text");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("3 requests, 2 flagged");
    }

    @Test
    void reads_json_lines_and_har() throws Exception {
        Path jsonl = dir.resolve("c.jsonl");
        Files.writeString(
                jsonl,
                "{\"method\":\"GET\",\"url\":\"https://shop/a?next=http://169.254.169.254/latest/meta-data\"}\n");
        Run r = run("inspect", "--input", jsonl.toString(), "--format", "jsonl");
        assertThat(r.out()).contains("\"category\":\"ssrf\"");
        Path har = dir.resolve("c.har");
        Files.writeString(
                har,
                "{\"log\":{\"entries\":[{\"request\":{\"method\":\"GET\",\"url\":\"https://shop/ok\",\"headers\":[]}}]}}");
        Run clean = run("inspect", "--input", har.toString(), "--format", "har");
        assertThat(clean.code()).isZero();
        assertThat(clean.out()).contains("\"blocked\":false");
    }

    @Test
    void usage_and_input_errors_exit_2_with_a_clear_message() throws Exception {
        assertThat(run("inspect", "--input", dir.resolve("none.http").toString())
                        .err())
                .contains("no such file");
        assertThat(run("inspect", "--input", "x", "--format", "pcap").code()).isEqualTo(2);
        assertThat(run("inspect", "--input", "x", "--level", "9").err()).contains("--level 9");
        Path bad = dir.resolve("bad.http");
        Files.writeString(bad, "GET / HTTP/1.1\r\n\r\nGARBAGE\r\n\r\n");
        Run r = run("inspect", "--input", bad.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("request 1");
        assertThat(r.out().lines()).hasSize(1); // the good request before the broken one is still reported
    }

    @Test
    void with_a_spec_each_request_is_also_checked_by_the_openapi_policy() throws Exception {
        Path spec = dir.resolve("openapi.yaml");
        Files.writeString(spec, AcmeShopApi.openApiYaml());
        Path capture = dir.resolve("c.jsonl");
        Files.writeString(capture, """
                {"method":"POST","url":"/api/v2/users","headers":{"Content-Type":"application/json"},\
                "body":"{\\"name\\":\\"M\\",\\"email\\":\\"m@x.example\\",\\"role\\":\\"admin\\"}"}
                {"method":"GET","url":"/nope"}
                {"method":"GET","url":"/api/v2/orders/1"}
                """);
        Run r = run("inspect", "--input", capture.toString(), "--format", "jsonl", "--spec", spec.toString());
        assertThat(r.err()).contains("3 requests, 2 flagged");
        assertThat(r.code()).isEqualTo(1);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        ObjectMapper m = new ObjectMapper();
        JsonNode post = m.readTree(lines.get(0));
        assertThat(post.get("blocked").asBoolean()).isTrue();
        JsonNode schema = schemaFinding(post);
        assertThat(schema).isNotNull();
        assertThat(schema.get("location").asText()).isEqualTo("OAS_BODY_UNKNOWN_PROPERTY");
        assertThat(schema.get("confidence").asDouble()).isEqualTo(1.0);
        assertThat(schema.get("paranoia").asInt()).isEqualTo(1);
        assertThat(schema.get("evidence").asText()).isNotEmpty().hasSizeLessThanOrEqualTo(64);
        JsonNode unknown = m.readTree(lines.get(1));
        assertThat(unknown.get("blocked").asBoolean()).isTrue();
        assertThat(schemaFinding(unknown).get("location").asText()).isEqualTo("OAS_PATH_UNKNOWN");
        JsonNode order = m.readTree(lines.get(2));
        assertThat(schemaFinding(order)).isNull();
        assertThat(order.get("blocked").asBoolean()).isFalse();
    }

    @Test
    void a_spec_that_cannot_be_read_exits_2() throws Exception {
        Path capture = dir.resolve("c.http");
        Files.writeString(capture, "GET / HTTP/1.1\r\nHost: shop\r\n\r\n");
        Run r = run(
                "inspect",
                "--input",
                capture.toString(),
                "--spec",
                dir.resolve("missing.yaml").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--spec").contains("missing.yaml");
        assertThat(r.out()).isEmpty();
    }

    private static JsonNode schemaFinding(JsonNode line) {
        for (JsonNode f : line.get("findings")) {
            if (f.get("category").asText().equals("schema")) {
                return f;
            }
        }
        return null;
    }
}
