package io.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bulwark serve} as a real process: SIGHUP reloads the file (and keeps serving when the file is invalid),
 * SIGTERM drains an in-flight request before the process exits.
 */
class ServeProcessTest {
    @TempDir
    Path dir;

    Vertx vertx;
    HttpServer upstream;
    Process process;
    final List<String> stderr = new CopyOnWriteArrayList<>();
    final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    @BeforeEach
    void upstream() throws Exception {
        vertx = Vertx.vertx();
        upstream = vertx.createHttpServer()
                .requestHandler(req -> {
                    if (req.path().equals("/slow")) {
                        vertx.setTimer(1500, id -> req.response().end("slow"));
                    } else {
                        req.response().end("ok " + req.path());
                    }
                })
                .listen(0, "127.0.0.1")
                .await();
    }

    @AfterEach
    void stop() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        vertx.close().await();
    }

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    String config(int port, String extraRoute) {
        return """
                listeners:
                  - {name: http, host: 127.0.0.1, port: %d}
                upstreams:
                  up: {targets: ["http://127.0.0.1:%d"]}
                routes:
                  - {id: main, path: /, upstream: up, public: true}
                %s
                access_log: {enabled: false}
                drain_timeout: 10s
                """.formatted(port, upstream.actualPort(), extraRoute);
    }

    HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    void waitForLog(String text) throws InterruptedException {
        for (int i = 0; i < 300; i++) {
            if (stderr.stream().anyMatch(l -> l.contains(text))) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no log line containing '" + text + "' in: " + stderr);
    }

    void signal(String name) throws Exception {
        assertThat(new ProcessBuilder("kill", "-" + name, Long.toString(process.pid()))
                        .start()
                        .waitFor())
                .isZero();
    }

    @Test
    void reloads_on_sighup_and_drains_on_sigterm() throws Exception {
        int port = freePort();
        Path file = dir.resolve("bulwark.yaml");
        Files.writeString(file, config(port, ""), StandardCharsets.UTF_8);
        String java = ProcessHandle.current().info().command().orElse("java");
        process = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        BulwarkCli.class.getName(),
                        "serve",
                        "-c",
                        file.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        Thread reader = Thread.ofVirtual().start(() -> {
            try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    stderr.add(line);
                }
            } catch (Exception e) {
                stderr.add("reader: " + e);
            }
        });
        waitForLog("listener http");
        assertThat(get(port, "/a").body()).isEqualTo("ok /a");
        assertThat(get(port, "/v2/x").statusCode()).isEqualTo(200);

        Files.writeString(
                file, config(port, "  - {id: v2, path: /v2, upstream: up, public: true, strip_prefix: true}"));
        signal("HUP");
        waitForLog("config reloaded: 2 routes");
        assertThat(get(port, "/v2/x").body()).isEqualTo("ok /x");

        Files.writeString(file, config(port, "  - {id: v2, path: /v2, upstream: missing, public: true}"));
        signal("HUP");
        waitForLog("reload refused");
        assertThat(get(port, "/v2/x").body()).isEqualTo("ok /x");

        CompletableFuture<HttpResponse<String>> slow = http.sendAsync(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/slow"))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        Thread.sleep(300);
        signal("TERM");
        assertThat(slow.get(10, TimeUnit.SECONDS).body()).isEqualTo("slow");
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).isTrue();
        reader.join(5000);
        assertThat(stderr).anyMatch(l -> l.contains("shutdown complete"));
    }
}
