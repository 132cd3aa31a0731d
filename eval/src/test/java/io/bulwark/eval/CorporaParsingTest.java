package io.bulwark.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CorporaParsingTest {

    private static final Path CORPORA = Path.of("..", "..", "shared", "corpora");

    @Test
    void parses_a_current_go_ftw_stage() throws Exception {
        String yaml = """
                ---
                meta:
                  author: test
                rule_id: 942100
                tests:
                  - test_id: 1
                    stages:
                      - input:
                          dest_addr: 127.0.0.1
                          headers:
                            Host: localhost
                            User-Agent: "OWASP CRS test agent"
                          method: POST
                          port: 80
                          uri: "/post"
                          data: "var=1234 OR 1=1"
                          version: HTTP/1.1
                        output:
                          log:
                            expect_ids: [942100, 920273]
                            no_expect_ids: [941100]
                """;
        List<CrsCorpus.Stage> stages = CrsCorpus.parse("942100.yaml", yaml);

        assertThat(stages).hasSize(1);
        CrsCorpus.Stage s = stages.get(0);
        assertThat(s.expectIds()).containsExactly(920273, 942100);
        assertThat(s.noExpectIds()).containsExactly(941100);
        assertThat(s.isAttack()).isTrue();
        assertThat(s.isBenign()).isFalse();
        assertThat(s.request().method()).isEqualTo("POST");
        assertThat(s.request().target()).isEqualTo("/post");
        assertThat(new String(s.request().body(), StandardCharsets.UTF_8)).isEqualTo("var=1234 OR 1=1");
        String wire = new String(s.request().wire(), StandardCharsets.UTF_8);
        assertThat(wire)
                .startsWith("POST /post HTTP/1.1\r\nHost: localhost\r\n")
                .contains("Content-Length: 15\r\n", "Connection: close\r\n")
                .endsWith("\r\n\r\nvar=1234 OR 1=1");
        RuleCatalog.Group sqli = RuleCatalog.OUR_GROUPS.get(0);
        assertThat(s.expected(sqli)).containsExactly(942100);
        assertThat(s.targetCategories(sqli)).containsExactly("sqli");
    }

    @Test
    void decodes_encoded_requests_and_reads_the_older_stage_layout() throws Exception {
        String raw = "GET /?x=${jndi:ldap://a} HTTP/1.1\r\nHost: localhost\r\n\r\n";
        String yaml = "tests:\n  - test_title: 944150-1\n    stages:\n      - stage:\n          input:\n"
                + "            encoded_request: \""
                + Base64.getEncoder().encodeToString(raw.getBytes(StandardCharsets.UTF_8)) + "\"\n"
                + "            autocomplete_headers: false\n"
                + "          output:\n            log_contains: id \"944150\"\n";
        List<CrsCorpus.Stage> stages = CrsCorpus.parse("944150.yaml", yaml);

        assertThat(stages).hasSize(1);
        CrsCorpus.Stage s = stages.get(0);
        assertThat(s.testId()).isEqualTo("944150-1");
        assertThat(s.expectIds()).containsExactly(944150);
        assertThat(s.request().wire()).isEqualTo(raw.getBytes(StandardCharsets.UTF_8));
        assertThat(s.request().method()).isEqualTo("GET");
        assertThat(s.request().target()).isEqualTo("/?x=${jndi:ldap://a}");
        assertThat(s.request().header("host")).isEqualTo("localhost");
        assertThat(s.targetCategories(RuleCatalog.OUR_GROUPS.get(5))).containsExactly("jndi");
    }

    @Test
    void a_stage_is_benign_only_when_no_rule_and_not_the_anomaly_evaluation_may_fire() throws Exception {
        String yaml = "tests:\n  - test_id: 1\n    stages:\n      - input: {uri: /a}\n"
                + "        output: {log: {no_expect_ids: [920100]}}\n"
                + "      - input: {uri: /b}\n        output: {log: {no_expect_ids: [949110]}}\n"
                + "      - input: {uri: /c}\n        output: {status: 400}\n";
        List<CrsCorpus.Stage> stages = CrsCorpus.parse("x.yaml", yaml);

        assertThat(stages).extracting(CrsCorpus.Stage::isBenign).containsExactly(false, true, false);
        assertThat(stages).extracting(CrsCorpus.Stage::isAttack).containsExactly(false, false, false);
        assertThat(stages.get(0).request().method()).isEqualTo("GET");
    }

    @Test
    void maps_rule_ids_to_groups_and_categories() {
        assertThat(RuleCatalog.categories(942100)).containsExactly("sqli");
        assertThat(RuleCatalog.categories(941110)).containsExactly("xss");
        assertThat(RuleCatalog.categories(932160)).containsExactly("cmdi");
        assertThat(RuleCatalog.categories(930120)).containsExactly("lfi");
        assertThat(RuleCatalog.categories(944150)).containsExactly("jndi");
        assertThat(RuleCatalog.categories(921110)).containsExactly("protocol");
        assertThat(RuleCatalog.categories(934110)).containsExactly("ssrf");
        assertThat(RuleCatalog.categories(934130)).containsExactly("prototype-pollution");
        assertThat(RuleCatalog.categories(934100)).containsExactlyInAnyOrder("ssrf", "ssti", "prototype-pollution");
        assertThat(RuleCatalog.categories(920350)).containsExactly("crs-protocol-enforcement");
        assertThat(RuleCatalog.categories(949110)).isEmpty();
        assertThat(RuleCatalog.categories(901100)).isEmpty();
        assertThat(RuleCatalog.categories(List.of(942100, 941100, 949110))).containsExactly("sqli", "xss");
    }

    @Test
    void parses_csv_rows_with_quotes_commas_and_line_breaks() {
        String csv = "\"payload\",\"length\",\"attack_type\",\"label\"\n"
                + "\"c/ caridad s/n\",\"14\",\"norm\",\"norm\"\n"
                + "\"1' or \"\"a\"\"=\"\"a\",\"16\",\"sqli\",\"anom\"\n"
                + "\"../../etc/passwd, x\",\"19\",\"path-traversal\",\"anom\"\r\n"
                + "\"a\nb\",\"3\",\"norm\",\"norm\"\n";
        List<HttpParamsCorpus.Row> rows = HttpParamsCorpus.parse(csv);

        assertThat(rows)
                .extracting(HttpParamsCorpus.Row::payload)
                .containsExactly("c/ caridad s/n", "1' or \"a\"=\"a", "../../etc/passwd, x", "a\nb");
        assertThat(rows).extracting(HttpParamsCorpus.Row::category).containsExactly(null, "sqli", "lfi", null);
        assertThat(rows.get(0).isNormal()).isTrue();
    }

    @Test
    void builds_query_and_json_requests_from_a_row() {
        HttpParamsCorpus.Row row = new HttpParamsCorpus.Row(7, "1' or \"a\"=\"a &x", "sqli");

        EvalRequest q = HttpParamsCorpus.request(row, HttpParamsCorpus.Variant.QUERY);
        assertThat(q.method()).isEqualTo("GET");
        assertThat(q.target()).isEqualTo("/search?q=1%27+or+%22a%22%3D%22a+%26x");
        assertThat(q.body()).isEmpty();

        EvalRequest j = HttpParamsCorpus.request(row, HttpParamsCorpus.Variant.JSON);
        assertThat(j.method()).isEqualTo("POST");
        assertThat(j.contentType()).isEqualTo("application/json");
        assertThat(new String(j.body(), StandardCharsets.UTF_8)).isEqualTo("{\"q\":\"1' or \\\"a\\\"=\\\"a &x\"}");
        assertThat(new String(j.wire(), StandardCharsets.UTF_8)).contains("Content-Length: " + j.body().length);
    }

    @Test
    void source_addresses_round_trip_to_request_indexes() throws Exception {
        for (int i : new int[] {0, 1, 253, 254, 64_515, 64_516, 100_000}) {
            String ip = ModSecurityBaseline.sourceAddress(i).getHostAddress();
            assertThat(ModSecurityBaseline.indexOf(ip)).as(ip).isEqualTo(i);
        }
    }

    @Test
    void loads_a_few_files_of_the_shared_corpora() throws Exception {
        Path tests = CORPORA.resolve("crs-regression/tests");
        assumeTrue(Files.isDirectory(tests), "shared corpora not present");
        Path sqli = tests.resolve("REQUEST-942-APPLICATION-ATTACK-SQLI/942100.yaml");
        List<CrsCorpus.Stage> stages = CrsCorpus.parse("942100.yaml", Files.readString(sqli, StandardCharsets.UTF_8));
        assertThat(stages)
                .isNotEmpty()
                .allSatisfy(s -> assertThat(s.request().wire()).isNotEmpty());
        assertThat(stages).anySatisfy(s -> assertThat(s.expectIds()).contains(942100));

        RuleCatalog catalog = RuleCatalog.load(CORPORA.resolve("crs-regression/rule-paranoia.tsv"));
        assertThat(catalog.paranoia(942100)).isEqualTo(1);
        assertThat(catalog.paranoia(934120)).isEqualTo(2);
        assertThat(catalog.paranoia(1)).isZero();

        List<String> head = Files.readAllLines(CORPORA.resolve("http-params/payload_train.csv"), StandardCharsets.UTF_8)
                .subList(0, 50);
        List<HttpParamsCorpus.Row> rows = HttpParamsCorpus.parse(String.join("\n", head) + "\n");
        assertThat(rows)
                .isNotEmpty()
                .allSatisfy(r -> assertThat(Set.of("norm", "sqli", "xss", "path-traversal", "cmdi"))
                        .contains(r.label()));
    }
}
