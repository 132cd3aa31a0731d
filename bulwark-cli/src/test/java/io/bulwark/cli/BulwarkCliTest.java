package io.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class BulwarkCliTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new BulwarkCli());
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @Test
    void check_accepts_a_valid_config_and_lists_routes() throws Exception {
        Path f = dir.resolve("ok.yaml");
        Files.writeString(f, """
                listeners: [{port: 8080}]
                upstreams: {api: {targets: [http://127.0.0.1:9000]}}
                routes: [{id: api, path: /, upstream: api, public: true}]
                """);
        Run r = run("check", "--config", f.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out())
                .contains("valid (1 listeners, 1 upstreams, 1 routes)")
                .contains("route api");
    }

    @Test
    void check_refuses_an_invalid_config_with_located_errors() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, """
                listeners: [{port: 8080}]
                upstreams: {api: {targets: [http://127.0.0.1:9000]}}
                routes: [{id: api, path: /, upstream: apj}]
                """);
        Run r = run("check", "-c", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains(f + ":3:").contains("did you mean 'api'?").contains("1 error(s)");
    }

    @Test
    void serve_refuses_an_invalid_config_before_starting() throws Exception {
        Path f = dir.resolve("bad.yaml");
        Files.writeString(f, "listeners: []\n");
        Run r = run("serve", "-c", f.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("listeners: found a list");
    }

    @Test
    void prints_version_and_help() {
        Run v = run("--version");
        assertThat(v.code()).isZero();
        assertThat(v.out()).startsWith("bulwark ").doesNotContain("unknown");
        Run h = run("--help");
        assertThat(h.out()).contains("serve").contains("check").contains("demo");
        Run missing = run("check");
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option");
    }
}
