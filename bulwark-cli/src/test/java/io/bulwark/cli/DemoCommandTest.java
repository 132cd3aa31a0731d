package io.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The demo really starts: sample API, gateway over HTTP and HTTPS, admin, working files. */
class DemoCommandTest {
    @TempDir
    Path dir;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void starts_the_sample_api_behind_the_gateway_and_stops_cleanly() throws Exception {
        DemoCommand demo = new DemoCommand();
        demo.dataDir = dir.resolve("data");
        demo.httpPort = freePort();
        demo.httpsPort = freePort();
        demo.adminPort = freePort();
        demo.apiPort = freePort();
        DemoCommand.Running running = demo.start();
        try {
            assertThat(running.generated()).isTrue();
            assertThat(Files.getPosixFilePermissions(dir.resolve("data/admin-token")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> anonymous = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.httpPort + "/api/v2/users"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(anonymous.statusCode()).isEqualTo(401);
            assertThat(anonymous.body()).contains("AUTH_MISSING");
            HttpResponse<String> health = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.httpPort + "/health"))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            HttpResponse<String> users = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.httpPort + "/api/v2/users"))
                            .header("Authorization", "Bearer " + running.carolToken())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(users.statusCode()).isEqualTo(200);
            assertThat(users.body()).contains("alice@acme.example");
            assertThat(users.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
            assertThat(users.headers().firstValue("X-Request-Id")).isPresent();

            HttpResponse<String> tooBig = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.httpPort + "/api/v2/users"))
                            .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[200_000]))
                            .header("Content-Type", "application/json")
                            .header("Authorization", "Bearer " + running.carolToken())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(tooBig.statusCode()).isEqualTo(413);

            HttpResponse<String> reload = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.adminPort + "/admin/api/reload"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .header("Authorization", "Bearer " + running.token())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(reload.statusCode()).isEqualTo(200);
            assertThat(running.gateway().port("https")).isEqualTo(demo.httpsPort);

            // Every flaw of the sample API works when called directly and is closed through the gateway.
            List<DemoTour.Check> checks = new DemoTour(
                            "http://127.0.0.1:" + demo.apiPort, "http://127.0.0.1:" + demo.httpPort)
                    .run(running.aliceToken(), running.carolToken(), running.stagingToken());
            assertThat(checks)
                    .hasSize(9)
                    .allSatisfy(c -> assertThat(c.closed()).as(c.toString()).isTrue());
            assertThat(checks)
                    .extracting(DemoTour.Check::gatewayErrorKey)
                    .containsExactly(
                            "AUTH_MISSING",
                            "AUTHZ_OBJECT_NOT_FOUND",
                            "AUTHZ_OBJECT_DENIED",
                            "AUTHZ_INSUFFICIENT_SCOPE",
                            "AUTHZ_OBJECT_DENIED",
                            "AUTH_ENVIRONMENT",
                            "OAS_BODY_UNKNOWN_PROPERTY",
                            "INSPECT_SQLI",
                            null);
            // carol, the admin, may use the admin function through the gateway.
            HttpResponse<String> disable = http.send(
                    HttpRequest.newBuilder(
                                    URI.create("http://127.0.0.1:" + demo.httpPort + "/api/v2/admin/users/2/disable"))
                            .POST(HttpRequest.BodyPublishers.noBody())
                            .header("Authorization", "Bearer " + running.carolToken())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(disable.statusCode()).isEqualTo(200);
            HttpResponse<String> own = http.send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + demo.httpPort + "/api/v2/orders/1"))
                            .header("Authorization", "Bearer " + running.aliceToken())
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(own.statusCode()).isEqualTo(200);
            assertThat(own.body()).contains("\"ownerId\":1");
        } finally {
            running.stop();
        }
        // A second start reuses the certificate and the token.
        DemoCommand.Running again = demo.start();
        try {
            assertThat(again.generated()).isFalse();
            assertThat(again.token()).isEqualTo(running.token());
        } finally {
            again.stop();
        }
    }
}
