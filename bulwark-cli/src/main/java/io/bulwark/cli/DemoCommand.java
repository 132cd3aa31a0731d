package io.bulwark.cli;

import io.bulwark.demo.AcmeShopApi;
import io.bulwark.demo.SelfSignedCertificate;
import io.bulwark.gateway.Gateway;
import io.bulwark.gateway.config.ConfigLoader;
import io.bulwark.gateway.config.GatewayConfig;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bulwark demo}: the sample API and the gateway in front of it, in one process, no external services. */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = {
            "Run the Acme Shop sample API with Bulwark in front of it, in one process.",
            "Files (self-signed certificate, admin token, the generated config) go to --data-dir.",
            "Ctrl-C stops everything."
        })
final class DemoCommand implements Callable<Integer> {
    @Option(
            names = "--data-dir",
            defaultValue = "data",
            paramLabel = "DIR",
            description = "Working files (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(
            names = "--http-port",
            defaultValue = "8080",
            description = "Gateway HTTP port (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(
            names = "--https-port",
            defaultValue = "8443",
            description = "Gateway HTTPS port (default: ${DEFAULT-VALUE}).")
    int httpsPort;

    @Option(names = "--admin-port", defaultValue = "9901", description = "Admin port (default: ${DEFAULT-VALUE}).")
    int adminPort;

    @Option(names = "--api-port", defaultValue = "8090", description = "Sample API port (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(
            names = "--log-format",
            defaultValue = "text",
            paramLabel = "FORMAT",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    LogFormat logFormat;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        logFormat.apply();
        Running running;
        try {
            running = start();
        } catch (StartFailure e) {
            spec.commandLine()
                    .getErr()
                    .println(
                            "demo: could not start: " + e.getMessage()
                                    + " (is a port in use? change it with --http-port, --https-port, --admin-port, --api-port)");
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                running.stop();
                            } catch (Exception e) {
                                System.err.println("shutdown: " + e);
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "bulwark-demo-shutdown"));
        Signals.onHangup(running.gateway()::reload);
        printBanner(spec.commandLine().getOut(), running);
        stopped.await();
        return 0;
    }

    /**
     * The running demo: the sample API and the gateway on one Vert.x instance.
     *
     * @param token the admin API token
     * @param aliceToken a JWT for alice, a customer (user 1)
     * @param carolToken a JWT for carol, an administrator (user 3)
     * @param stagingToken a JWT for alice minted for another environment
     */
    record Running(
            Vertx vertx,
            HttpServer api,
            Gateway gateway,
            Path certificate,
            boolean generated,
            String token,
            Path config,
            String aliceToken,
            String carolToken,
            String stagingToken) {
        void stop() throws Exception {
            gateway.shutdown(Duration.ofSeconds(5)).await();
            api.close().await();
            vertx.close().await();
        }
    }

    /** Could not bind or load; the message says why. */
    static final class StartFailure extends Exception {
        private static final long serialVersionUID = 1L;

        StartFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Writes the working files, starts the sample API and the gateway. */
    Running start() throws Exception {
        Path dir = dataDir.toAbsolutePath();
        Path tls = dir.resolve("tls");
        Files.createDirectories(tls);
        Path cert = tls.resolve("cert.pem");
        Path key = tls.resolve("key.pem");
        boolean generated = SelfSignedCertificate.generateIfAbsent(
                cert, key, Duration.ofDays(365), List.of("localhost", "127.0.0.1", "::1"));
        String token = adminToken(dir.resolve("admin-token"));
        DemoIdentity identity = DemoIdentity.loadOrCreate(dir.resolve("keys"));
        Instant now = Instant.now();
        String alice = identity.token("1", DemoIdentity.CUSTOMER_SCOPES, now);
        String carol = identity.token("3", DemoIdentity.ADMIN_SCOPES, now);
        String staging = identity.tokenForEnvironment("1", DemoIdentity.CUSTOMER_SCOPES, now, "staging");
        Files.writeString(dir.resolve("openapi.yaml"), AcmeShopApi.openApiYaml(), StandardCharsets.UTF_8);
        Path configFile = dir.resolve("demo.yaml");
        Files.writeString(configFile, demoConfig(), StandardCharsets.UTF_8);

        ConfigLoader loader = ConfigLoader.standard();
        GatewayConfig config = loader.load(configFile);
        Vertx vertx = Vertx.vertx();
        try {
            HttpServer api = AcmeShopApi.start(vertx, "127.0.0.1", apiPort).await();
            Gateway gateway =
                    Gateway.start(vertx, config, () -> loader.load(configFile)).await();
            return new Running(vertx, api, gateway, cert, generated, token, configFile, alice, carol, staging);
        } catch (Exception e) {
            vertx.close().await();
            throw new StartFailure(String.valueOf(e.getMessage()), e);
        }
    }

    private static String adminToken(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            String t = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (t.length() >= 32) {
                return t;
            }
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String t = HexFormat.of().formatHex(random);
        Files.writeString(file, t + "\n", StandardCharsets.UTF_8);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the file keeps the default permissions
        }
        return t;
    }

    String demoConfig() {
        return """
                # Generated by 'bulwark demo' on every start; copy it to experiment with 'bulwark serve -c FILE'.
                listeners:
                  - name: http
                    protocol: http
                    host: 127.0.0.1
                    port: %d
                  - name: https
                    protocol: https
                    host: 127.0.0.1
                    port: %d
                    tls:
                      certificate: tls/cert.pem
                      key: tls/key.pem
                admin:
                  host: 127.0.0.1
                  port: %d
                  token: ${file:admin-token}
                limits:
                  max_body_bytes: 1MiB
                  request_timeout: 30s
                upstreams:
                  acme-shop:
                    targets: [http://127.0.0.1:%d]
                    connect_timeout: 2s
                    response_timeout: 10s
                # Tokens must be minted for this environment (their env claim): a staging token is refused.
                environment: demo
                routes:
                  # Health and the API description are public on purpose, and say so.
                  - id: acme-health
                    path: /health
                    upstream: acme-shop
                    public: true
                    policies:
                      - headers: {}
                  - id: acme-openapi
                    path: /openapi.yaml
                    upstream: acme-shop
                    public: true
                    policies:
                      - headers: {}
                  # Everything else needs a token from the demo issuer (keys in keys/, made on first start).
                  - id: acme-shop
                    path: /
                    upstream: acme-shop
                    openapi: openapi.yaml
                    hide_upstream_errors: true
                    policies:
                      - cors:
                          allow_origins: ["http://localhost:3000"]
                          allow_methods: [GET, POST]
                          allow_headers: [Content-Type, Authorization]
                      - jwt:
                          jwks_file: keys/jwks.json
                          algorithms: [ES256]
                          issuer: %s
                          audiences: [%s]
                          max_lifetime: 12h
                      # The sample API trusts X-User-Id: only the gateway may set it, from the token's subject.
                      - forward-identity:
                          headers:
                            X-User-Id: subject
                      # Scopes come from each operation's 'security' in openapi.yaml; operations it does not
                      # declare (such as /internal/debug) are refused. The API forgets ownership and admin checks:
                      - authz:
                          objects:
                            - name: own-accounts
                              operations: [listUserAccounts]
                              path_param: userId
                              equals: principal.subject
                            - name: own-orders
                              operations: [getOrder]
                              response_field: /ownerId
                              equals: principal.subject
                              on_deny: 404
                            - name: own-orders-v1
                              operations: [getOrderV1]
                              response_field: /customerId
                              equals: principal.subject
                              on_deny: 404
                          admin:
                            tags: [admin]
                      # Operations marked x-bulwark-sensitive (disableUser) need a login less than 10 minutes old.
                      - step-up:
                          max_age: 10m
                      - request-size:
                          max_body_bytes: 64KiB
                      # Attack payloads (SQL injection, XSS, SSRF, ...) in any value are refused.
                      - inspect: {}
                      # The contract as a positive security model: undeclared fields (mass assignment), wrong
                      # types, bad values refused; fields the contract does not declare (passwordHash) are
                      # removed from answers.
                      - openapi: {}
                      - headers: {}
                access_log:
                  output: stdout
                """.formatted(httpPort, httpsPort, adminPort, apiPort, DemoIdentity.ISSUER, DemoIdentity.AUDIENCE);
    }

    private void printBanner(PrintWriter out, Running running) {
        String gw = "http://127.0.0.1:" + httpPort;
        String api = "http://127.0.0.1:" + apiPort;
        out.printf(
                """

                Bulwark demo is running.

                  Sample API (direct, unprotected)  %s   spec: %s/openapi.yaml
                  Gateway (HTTP)                    %s
                  Gateway (HTTPS, HTTP/2)           https://127.0.0.1:%d   certificate: %s%s
                  Admin                             http://127.0.0.1:%d
                  Admin token                       %s
                  Config                            %s

                Tokens (ES256, issuer %s, valid %d h; mint more with 'bulwark token --key %s'):
                  alice, a customer (user 1):
                    %s
                  carol, an administrator (user 3):
                    %s

                """,
                api,
                api,
                gw,
                httpsPort,
                running.certificate(),
                running.generated() ? " (generated)" : "",
                adminPort,
                running.token(),
                running.config(),
                DemoIdentity.ISSUER,
                DemoIdentity.TOKEN_TTL.toHours(),
                running.config().resolveSibling("keys").resolve(DemoIdentity.KID + ".private.jwk.json"),
                running.aliceToken(),
                running.carolToken());
        try {
            DemoTour.print(
                    out, new DemoTour(api, gw).run(running.aliceToken(), running.carolToken(), running.stagingToken()));
        } catch (Exception e) {
            out.println(
                    "  (the tour of closed flaws could not run: " + e.getClass().getSimpleName() + ")");
            out.println();
        }
        out.printf(
                """
                Try:
                  ALICE='%s'
                  curl -i %s/api/v2/orders                                           # 401: no token
                  curl -i -H "Authorization: Bearer $ALICE" %s/api/v2/orders         # alice's orders only
                  curl -i -H "Authorization: Bearer $ALICE" %s/api/v2/orders/3       # bob's order: refused
                  curl -i -H 'X-User-Id: 1' %s/api/v2/orders/3                       # the same, directly: leaks
                  curl -s -H "Authorization: Bearer $ALICE" %s/api/v2/users/1        # no passwordHash
                  curl -s -H 'X-User-Id: 1' %s/api/v2/users/1                        # directly: passwordHash
                  curl -i -H "Authorization: Bearer $ALICE" "%s/api/v2/orders?sort=name'%%20UNION%%20SELECT%%20passwordHash%%20FROM%%20users--"   # 403 INSPECT_SQLI
                  CAROL='%s'
                  curl -i -H "Authorization: Bearer $CAROL" -H 'Content-Type: application/json' %s/api/v2/users -d '{"name":"M","email":"m@acme.example","role":"admin"}'   # 400: no mass assignment
                  curl -s http://127.0.0.1:%d/metrics | grep bulwark_rejections
                  curl -i -X POST -H 'Authorization: Bearer %s' http://127.0.0.1:%d/admin/api/reload

                The access log is printed below, one JSON line per request. Ctrl-C stops everything.

                """,
                running.aliceToken(),
                gw,
                gw,
                gw,
                api,
                gw,
                api,
                gw,
                running.carolToken(),
                gw,
                adminPort,
                running.token(),
                adminPort);
        out.flush();
    }
}
