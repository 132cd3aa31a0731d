package io.bulwark.inspect;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class InspectorTest {
    /** Records every value it is shown and flags values containing "EVIL" (at paranoia 2 when "evil2"). */
    static final class Recorder implements Detector {
        final List<InspectedValue> seen = new ArrayList<>();

        @Override
        public Category category() {
            return Category.XSS;
        }

        @Override
        public void inspect(InspectedValue value, Consumer<Finding> findings) {
            synchronized (seen) {
                seen.add(value);
            }
            for (String form : value.forms()) {
                if (form.contains("EVIL")) {
                    findings.accept(new Finding(Category.XSS, 0.9, value.location(), form, 1));
                    return;
                }
                if (form.contains("evil2")) {
                    findings.accept(new Finding(Category.XSS, 0.5, value.location(), form, 2));
                    return;
                }
            }
        }

        List<String> locations() {
            return seen.stream()
                    .map(v -> (v.isKey() ? "key:" : "") + v.location())
                    .toList();
        }

        String raw(String location) {
            return seen.stream()
                    .filter(v -> !v.isKey() && v.location().toString().equals(location))
                    .findFirst()
                    .orElseThrow()
                    .raw();
        }
    }

    private static HttpRequestView get(String target, String... headers) {
        List<Map.Entry<String, String>> h = new ArrayList<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.add(Map.entry(headers[i], headers[i + 1]));
        }
        return new HttpRequestView("GET", target, h, null, new byte[0]);
    }

    private static HttpRequestView post(String contentType, String body) {
        return new HttpRequestView("POST", "/", List.of(), contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static Recorder run(HttpRequestView r) {
        Recorder rec = new Recorder();
        Inspector.create(InspectorConfig.defaults(), List.of(rec)).inspect(r);
        return rec;
    }

    @Test
    void extracts_path_segments_and_query_parameters() {
        Recorder rec = run(get("/users/a%20b/orders?id=1+2&q=%2527x&flag#frag"));
        assertThat(rec.locations())
                .containsExactly(
                        "path.0",
                        "path.1",
                        "path.2",
                        "path",
                        "key:query.id",
                        "query.id",
                        "key:query.q",
                        "query.q",
                        "key:query.flag");
        assertThat(rec.raw("path.1")).isEqualTo("a b");
        assertThat(rec.raw("query.id")).isEqualTo("1 2");
        InspectedValue q = rec.seen.stream()
                .filter(v -> !v.isKey() && v.location().toString().equals("query.q"))
                .findFirst()
                .orElseThrow();
        assertThat(q.raw()).isEqualTo("%27x");
        assertThat(q.forms()).containsExactly("%27x", "'x");
    }

    @Test
    void extracts_from_absolute_form_targets() {
        Recorder rec = run(get("http://example.com:8080/a?x=1"));
        assertThat(rec.locations()).containsExactly("path.0", "key:query.x", "query.x");
        assertThat(run(get("https://example.com?x=1")).locations()).containsExactly("key:query.x", "query.x");
    }

    @Test
    void inspects_headers_except_secrets_and_parses_cookies() {
        Recorder rec = run(get(
                "/",
                "User-Agent",
                "curl/8",
                "Referer",
                "http://x/",
                "Authorization",
                "Bearer secret",
                "X-Api-Key",
                "secret",
                "Accept-Encoding",
                "gzip, br",
                "Content-Type",
                "%{(#_='multipart/form-data')}",
                "Cookie",
                "session=abc; theme=\"dark\""));
        assertThat(rec.locations())
                .containsExactly(
                        "header.User-Agent",
                        "header.Referer",
                        "header.Content-Type",
                        "key:cookie.session",
                        "cookie.session",
                        "key:cookie.theme",
                        "cookie.theme");
        assertThat(rec.raw("cookie.theme")).isEqualTo("dark");
        assertThat(rec.seen).noneMatch(v -> v.raw().contains("secret"));
    }

    @Test
    void extracts_json_strings_and_keys_with_pointers() {
        Recorder rec = run(post(
                "application/json; charset=utf-8",
                "{\"a\":[1,{\"b\":\"x\"},\"y\"],\"c/d\":{\"e~\":\"z\"},\"n\":null}"));
        assertThat(rec.locations())
                .containsExactly(
                        "key:json./a",
                        "key:json./a/1/b",
                        "json./a/1/b",
                        "json./a/2",
                        "key:json./c~1d",
                        "key:json./c~1d/e~0",
                        "json./c~1d/e~0",
                        "key:json./n");
    }

    @Test
    void json_root_string_and_vendor_json_types() {
        assertThat(run(post("application/vnd.api+json", "\"EVIL\"")).locations())
                .containsExactly("json");
    }

    @Test
    void malformed_json_is_inspected_as_text() {
        Recorder rec = run(post("application/json", "{\"a\": 'EVIL' }"));
        assertThat(rec.locations()).contains("body");
    }

    @Test
    void json_deeper_than_the_limit_is_skipped_and_reported() {
        InspectorConfig cfg = new InspectorConfig(1, EnumSet.allOf(Category.class), 1024, 3, 100);
        Recorder rec = new Recorder();
        Report r = Inspector.create(cfg, List.of(rec))
                .inspect(post("application/json", "{\"a\":{\"b\":{\"c\":{\"d\":\"EVIL\"}}},\"z\":\"ok\"}"));
        assertThat(r.truncated()).isTrue();
        assertThat(rec.locations()).contains("json./z").doesNotContain("json./a/b/c/d");
        // a megabyte of '[' is bounded too
        Report deep = Inspector.create(InspectorConfig.defaults(), List.of(rec))
                .inspect(post("application/json", "[".repeat(1 << 20)));
        assertThat(deep.truncated()).isTrue();
    }

    @Test
    void extracts_form_bodies_xml_and_text() {
        assertThat(run(post("application/x-www-form-urlencoded", "name=a+b&c=%3C"))
                        .locations())
                .containsExactly("key:form.name", "form.name", "key:form.c", "form.c");
        Recorder xml =
                run(post("application/xml", "<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><x>&e;</x>"));
        assertThat(xml.locations()).containsExactly("body");
        assertThat(xml.raw("body")).startsWith("<!DOCTYPE");
        assertThat(run(post("text/plain", "hello")).locations()).containsExactly("body");
        assertThat(run(post("image/png", "EVIL")).locations()).isEmpty();
    }

    @Test
    void extracts_multipart_parts() {
        String body = "--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"title\"\r\n\r\n"
                + "hello EVIL\r\n"
                + "--XyZ\r\n"
                + "Content-Disposition: form-data; name=\"file\"; filename=\"../../etc/passwd\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n"
                + "\u0000\u0001binary\r\n"
                + "--XyZ--\r\n";
        Recorder rec = run(post("multipart/form-data; boundary=XyZ", body));
        assertThat(rec.locations()).containsExactly("multipart.title", "multipart.file.filename");
        assertThat(rec.raw("multipart.title")).isEqualTo("hello EVIL");
        assertThat(rec.raw("multipart.file.filename")).isEqualTo("../../etc/passwd");
    }

    @Test
    void a_loopback_host_header_is_not_an_attack_even_at_the_highest_level() {
        Inspector all = Inspector.create(InspectorConfig.defaults().withParanoia(4));
        HttpRequestView internal = new HttpRequestView(
                "GET",
                "/search?q=shoes",
                List.of(Map.entry("Host", "127.0.0.1:8080"), Map.entry("User-Agent", "curl/8.5.0")),
                null,
                new byte[0]);
        assertThat(all.inspect(internal).findings()).isEmpty();
    }

    @Test
    void no_prefix_of_a_multipart_or_json_body_makes_the_inspector_throw() {
        String multipart =
                "--b\n\nheaderless part\n--b\r\nContent-Disposition: form-data; name=\"a\"; filename=\"x\"\r\n"
                        + "Content-Type: text/plain\r\n\r\nEVIL\r\n--b\r\n\r\n\r\n--b--\r\n";
        String json = "{\"a\":[1,{\"b\":\"c\\u00e9\"}],\"d\":null,\"e\":\"\\\"\"}";
        Inspector inspector = Inspector.create(InspectorConfig.defaults(), List.of(new Recorder()));
        for (int i = 0; i <= multipart.length(); i++) {
            String cut = multipart.substring(0, i);
            assertThatCode(() -> inspector.inspect(post("multipart/form-data; boundary=b", cut)))
                    .as("multipart prefix of %d chars", i)
                    .doesNotThrowAnyException();
        }
        for (int i = 0; i <= json.length(); i++) {
            String cut = json.substring(0, i);
            assertThatCode(() -> inspector.inspect(post("application/json", cut)))
                    .as("json prefix of %d chars", i)
                    .doesNotThrowAnyException();
        }
    }

    @Test
    void multipart_parser_is_bounded_and_tolerates_bare_line_feeds() {
        String lf = "--b\nContent-Disposition: form-data; name=\"a\"\n\nEVIL\n--b--\n";
        assertThat(run(post("multipart/form-data; boundary=b", lf)).raw("multipart.a"))
                .isEqualTo("EVIL");
        String headerless = "--b\r\n".repeat(200_000);
        Report r = Inspector.create(InspectorConfig.defaults(), List.of(new Recorder()))
                .inspect(post("multipart/form-data; boundary=b", headerless));
        assertThat(r.flagged()).isFalse();
        assertThat(run(post("multipart/form-data", "no boundary EVIL")).locations())
                .containsExactly("body");
    }

    @Test
    void keeps_findings_within_paranoia_and_categories_once_per_location() {
        Recorder rec = new Recorder();
        HttpRequestView r = get("/x?a=EVIL&a=EVIL&b=evil2");
        Report level1 =
                Inspector.create(InspectorConfig.defaults(), List.of(rec)).inspect(r);
        assertThat(level1.findings()).extracting(f -> f.location().toString()).containsExactly("query.a");
        assertThat(level1.flagged()).isTrue();
        assertThat(level1.categories()).containsExactly(Category.XSS);
        Report level2 = Inspector.create(InspectorConfig.defaults().withParanoia(2), List.of(rec))
                .inspect(r);
        assertThat(level2.findings()).extracting(f -> f.location().toString()).containsExactly("query.a", "query.b");
        InspectorConfig noXss = new InspectorConfig(4, Set.of(Category.SQLI), 1024, 8, 100);
        assertThat(Inspector.create(noXss, List.of(rec)).inspect(r).flagged()).isFalse();
    }

    @Test
    void bounds_the_number_of_values() {
        InspectorConfig cfg = new InspectorConfig(1, EnumSet.allOf(Category.class), 1024, 8, 5);
        Recorder rec = new Recorder();
        Report r = Inspector.create(cfg, List.of(rec)).inspect(get("/?" + "a=1&".repeat(100_000)));
        assertThat(r.truncated()).isTrue();
        assertThat(rec.seen).hasSize(5);
    }

    @Test
    void reports_truncated_long_values() {
        InspectorConfig cfg = new InspectorConfig(1, EnumSet.allOf(Category.class), 64, 8, 100);
        Report r = Inspector.create(cfg, List.of(new Recorder())).inspect(post("text/plain", "x".repeat(1000)));
        assertThat(r.truncated()).isTrue();
        assertThat(r.flagged()).isFalse();
    }

    @Test
    void flags_smuggling_preconditions() {
        Report r = Inspector.create(InspectorConfig.defaults(), List.of())
                .inspect(get("/", "Content-Length", "5", "Transfer-Encoding", "chunked"));
        assertThat(r.categories()).containsExactly(Category.PROTOCOL);
        Report twice = Inspector.create(InspectorConfig.defaults(), List.of())
                .inspect(get("/", "Content-Length", "5", "content-length", "7"));
        assertThat(twice.findings())
                .singleElement()
                .satisfies(f -> assertThat(f.location().name()).isEqualTo("Content-Length"));
    }

    @Test
    void flags_sql_injection_with_the_built_in_detectors() {
        Inspector inspector = Inspector.create(InspectorConfig.defaults());
        Report r = inspector.inspect(get("/items?id=1%27%20or%20%271%27%3D%271&name=O%27Brien"));
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.category()).isEqualTo(Category.SQLI);
            assertThat(f.location().toString()).isEqualTo("query.id");
        });
        Report json = inspector.inspect(post("application/json", "{\"q\":\"x' union select password from users--\"}"));
        assertThat(json.categories()).containsExactly(Category.SQLI);
        assertThat(inspector
                        .inspect(post("application/json", "{\"name\":\"Miles O'Brien\",\"size\":\"select a size\"}"))
                        .flagged())
                .isFalse();
    }

    @Test
    void inspects_values_extracted_elsewhere() {
        Inspector inspector = Inspector.create(InspectorConfig.defaults());
        InspectedValue v =
                new InspectedValue("1 or 1=1", List.of("1 or 1=1"), Location.of(Location.Source.JSON, "/id"), false);
        Report r = inspector.inspectValues(List.of(v));
        assertThat(r.findings())
                .singleElement()
                .satisfies(f -> assertThat(f.location().toString()).isEqualTo("json./id"));
        String longValue = "1 or 1=1 " + "x".repeat(100_000);
        Report cut = inspector.inspectValues(List.of(
                new InspectedValue(longValue, List.of(longValue), Location.of(Location.Source.BODY, ""), false)));
        assertThat(cut.truncated()).isTrue();
        assertThat(cut.flagged()).isTrue();
    }

    @Test
    void validates_config() {
        assertThat(InspectorConfig.defaults())
                .isEqualTo(new InspectorConfig(1, EnumSet.allOf(Category.class), 64 * 1024, 64, 10_000));
        assertThatThrownBy(() -> new InspectorConfig(0, Set.of(), 1024, 8, 10))
                .hasMessage("paranoia: 0 (expected: 1..4)");
        assertThatThrownBy(() -> new InspectorConfig(5, Set.of(), 1024, 8, 10))
                .hasMessage("paranoia: 5 (expected: 1..4)");
        assertThatThrownBy(() -> new InspectorConfig(1, Set.of(), 1024, 0, 10))
                .hasMessage("maxJsonDepth: 0 (expected: > 0)");
        assertThatThrownBy(() -> new InspectorConfig(1, Set.of(), 1024, 8, 0))
                .hasMessage("maxValues: 0 (expected: > 0)");
        assertThatThrownBy(() -> new InspectorConfig(1, null, 1024, 8, 1)).isInstanceOf(NullPointerException.class);
    }

    @Test
    void built_in_detectors_cover_sqli() {
        assertThat(Detectors.builtIn()).extracting(Detector::category).contains(Category.SQLI);
    }
}
