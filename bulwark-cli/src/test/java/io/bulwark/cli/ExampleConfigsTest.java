package io.bulwark.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.bulwark.api.config.ConfigException;
import io.bulwark.gateway.config.ConfigLoader;
import io.bulwark.gateway.config.GatewayConfig;
import io.bulwark.gateway.config.HstsConfig;
import io.bulwark.gateway.config.LimitsConfig;
import io.bulwark.gateway.config.PolicyRegistry;
import io.bulwark.gateway.config.YamlConfigReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Keeps the shipped examples, the demo config and {@code bulwark.schema.json} honest: every example loads with the
 * real loader and validates against the schema, and the schema and the loader agree on a set of valid and invalid
 * variants.
 */
class ExampleConfigsTest {
    /** Maven runs tests with the module directory as working directory. */
    private static final Path REPO = Path.of("..");

    private static final Path EXAMPLES = REPO.resolve("examples");
    private static final Map<String, String> ENV = Map.of(
            "BULWARK_ADMIN_TOKEN", "0123456789abcdef0123456789abcdef",
            "PORT", "8081",
            "PUBLIC", "true");

    private static final String MINIMAL = """
            listeners:
              - port: 8080
            upstreams:
              backend:
                targets: http://127.0.0.1:9000
            routes:
              - id: everything
                path: /
                upstream: backend
                public: true
            """;

    /** {@link #MINIMAL} with its route authenticated by {@code jwt} instead of public (keys/jwks.json: see loadInline). */
    private static final String WITH_JWT = MINIMAL.replace("    public: true\n", """
                policies:
                  - jwt:
                      jwks_file: keys/jwks.json
                      issuer: https://issuer.bulwark.local
                      audiences: [bulwark]
            """);

    /** {@link #MINIMAL} with the sample API's OpenAPI document on its route (openapi/acme-shop.yaml: see loadInline). */
    private static final String WITH_OPENAPI = MINIMAL.replace("    public: true\n", """
                public: true
                openapi: openapi/acme-shop.yaml
            """);

    /** {@link #MINIMAL} with its route authenticated by {@code introspection} instead of public. */
    private static final String WITH_INTROSPECTION = MINIMAL.replace("    public: true\n", """
                policies:
                  - introspection:
                      endpoint: https://idp.example.com/oauth2/introspect
                      client_id: bulwark-gateway
                      client_secret: not-a-real-secret
            """);

    /**
     * Optional keys left empty or set to null: the loader reads each as absent (as it does {@code ~}, which the
     * schema validator used here reads as a string), and the schema accepts them.
     */
    private static final String WITH_EMPTY_VALUES = """
            listeners:
              - port: 8080
                host: null
              - port: 8443
                protocol: https
                tls: {certificate: tls/cert.pem, key: tls/key.pem, protocols: null}
                hsts:
            upstreams:
              backend:
                targets: http://127.0.0.1:9000
                health:
                retries: null
            routes:
              - id: everything
                host:
                path: /
                upstream: backend
                public: true
                strip_prefix:
                policies:
                  - cors: {allow_origins: "*", allow_methods: null, allow_headers: []}
                  - request-size: {max_body_bytes: 1MiB, max_headers: null}
                  - headers: {request: null, response: {set: null, remove: null}}
            limits:
            trusted_proxies:
            admin: null
            access_log:
              output:
            drain_timeout: null
            """;

    private static Schema schema;

    @TempDir
    Path tmp;

    @BeforeAll
    static void load_schema() throws IOException {
        String json = Files.readString(REPO.resolve("bulwark.schema.json"), StandardCharsets.UTF_8);
        schema = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
                .getSchema(json, InputFormat.JSON);
        schema.initializeValidators();
    }

    static Stream<Path> examples() throws IOException {
        try (Stream<Path> files = Files.list(EXAMPLES)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList().stream();
        }
    }

    private static ConfigLoader loader() {
        return new ConfigLoader(new YamlConfigReader(ENV::get), PolicyRegistry.load());
    }

    private static List<String> schemaErrors(String yaml) {
        return schema.validate(yaml, InputFormat.YAML).stream()
                .map(Object::toString)
                .toList();
    }

    /**
     * Loads a config from a temporary directory that also holds tls/cert.pem, tls/key.pem and keys/jwks.json (the
     * example public key set).
     */
    private GatewayConfig loadInline(String yaml) throws IOException, ConfigException {
        Path tls = Files.createDirectories(tmp.resolve("tls"));
        if (!Files.exists(tls.resolve("cert.pem"))) {
            Files.copy(EXAMPLES.resolve("tls/example-cert.pem"), tls.resolve("cert.pem"));
            Files.copy(EXAMPLES.resolve("tls/example-key.pem"), tls.resolve("key.pem"));
        }
        Path keys = Files.createDirectories(tmp.resolve("keys"));
        if (!Files.exists(keys.resolve("jwks.json"))) {
            Files.copy(EXAMPLES.resolve("keys/example-jwks.json"), keys.resolve("jwks.json"));
        }
        Path openapi = Files.createDirectories(tmp.resolve("openapi"));
        if (!Files.exists(openapi.resolve("acme-shop.yaml"))) {
            Files.copy(EXAMPLES.resolve("openapi/acme-shop.yaml"), openapi.resolve("acme-shop.yaml"));
        }
        Path file = tmp.resolve("bulwark.yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        return loader().load(file);
    }

    @Test
    void the_schema_is_a_valid_draft_2020_12_schema() throws IOException {
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
        Schema meta = registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        String json = Files.readString(REPO.resolve("bulwark.schema.json"), StandardCharsets.UTF_8);

        assertThat(meta.validate(json, InputFormat.JSON)).isEmpty();
    }

    @Test
    void the_documented_examples_exist() throws IOException {
        assertThat(examples().map(p -> p.getFileName().toString()))
                .contains("minimal.yaml", "production.yaml", "multi-host.yaml");
    }

    @ParameterizedTest
    @MethodSource("examples")
    void every_example_config_loads(Path file) throws ConfigException {
        GatewayConfig config = loader().load(file);

        assertThat(config.routes()).isNotEmpty();
        assertThat(config.listeners()).isNotEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void every_example_config_matches_the_schema(Path file) throws IOException {
        String yaml = Files.readString(file, StandardCharsets.UTF_8);

        assertThat(schemaErrors(yaml)).as(file.toString()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("examples")
    void every_example_config_says_what_it_shows_and_names_the_schema(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);

        assertThat(lines.getFirst()).startsWith("# ");
        assertThat(lines).contains("# yaml-language-server: $schema=../bulwark.schema.json");
    }

    @Test
    void the_example_openapi_document_is_the_sample_apis() throws IOException {
        assertThat(Files.readString(EXAMPLES.resolve("openapi/acme-shop.yaml"), StandardCharsets.UTF_8))
                .as("examples/openapi/acme-shop.yaml is a copy of bulwark-demo's openapi.yaml: copy it again")
                .isEqualTo(io.bulwark.demo.AcmeShopApi.openApiYaml());
    }

    @Test
    void the_production_example_uses_every_policy_and_the_admin_token_from_the_environment() throws ConfigException {
        GatewayConfig config = loader().load(EXAMPLES.resolve("production.yaml"));

        assertThat(config.routes().stream().flatMap(r -> r.policyNames().stream()))
                .contains("cors", "request-size", "headers", "jwt", "forward-identity", "authz");
        assertThat(PolicyRegistry.load().names())
                .containsExactlyInAnyOrder(
                        "cors",
                        "request-size",
                        "headers",
                        "jwt",
                        "api-key",
                        "introspection",
                        "forward-identity",
                        "authz",
                        "step-up",
                        "mtls",
                        "openapi",
                        "inspect");
        assertThat(config.environment()).isEqualTo("prod");
        assertThat(config.admin().token()).isEqualTo(ENV.get("BULWARK_ADMIN_TOKEN"));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void the_demo_config_matches_the_schema_and_loads() throws Exception {
        DemoCommand demo = new DemoCommand();
        demo.httpPort = 8080;
        demo.httpsPort = 8443;
        demo.adminPort = 9901;
        demo.apiPort = 8090;
        String yaml = demo.demoConfig();
        Files.writeString(tmp.resolve("admin-token"), "0123456789abcdef0123456789abcdef\n");
        Files.writeString(tmp.resolve("openapi.yaml"), io.bulwark.demo.AcmeShopApi.openApiYaml());
        DemoIdentity.loadOrCreate(tmp.resolve("keys"));

        assertThat(schemaErrors(yaml)).isEmpty();
        GatewayConfig config = loadInline(yaml);
        assertThat(config.routes()).extracting(r -> r.id()).containsExactly("acme-health", "acme-openapi", "acme-shop");
        assertThat(config.environment()).isEqualTo("demo");
        assertThat(config.warnings()).isEmpty();
    }

    static Stream<Arguments> validVariants() {
        return Stream.of(
                Arguments.of("minimal", MINIMAL),
                Arguments.of(
                        "references in numbers and booleans",
                        MINIMAL.replace("port: 8080", "port: ${env:PORT}")
                                .replace("public: true", "public: ${env:PUBLIC}")),
                Arguments.of(
                        "quoted numbers and booleans",
                        MINIMAL.replace("8080", "\"8080\"").replace("true", "\"true\"")),
                Arguments.of("sizes with spaces and underscores", MINIMAL + """
                        limits:
                          max_body_bytes: 10 MiB
                          max_connections: 10_000
                        """),
                Arguments.of("a single trusted proxy", MINIMAL + "trusted_proxies: 10.0.0.1\n"),
                Arguments.of("a headers policy with no settings", MINIMAL + """
                            policies:
                              - headers: {}
                        """),
                Arguments.of("a headers policy with an empty value", MINIMAL + """
                            policies:
                              - headers:
                        """),
                Arguments.of("empty and null values count as absent", WITH_EMPTY_VALUES),
                Arguments.of(
                        "single strings as lists",
                        MINIMAL.replace("path: /", "host: API.Example.com\n    path: /api") + """
                            policies:
                              - cors:
                                  allow_origins: "*"
                                  allow_methods: GET
                        """),
                Arguments.of("a jwt route that is not public", WITH_JWT),
                Arguments.of("an api-key route that is not public", MINIMAL.replace("    public: true\n", """
                            policies:
                              - api-key:
                                  header: X-Partner-Key
                                  keys:
                                    - id: partner-a
                                      hash: "sha256:abababababababababababababababababababababababababababababababab"
                                      scopes: [orders:read]
                        """)),
                Arguments.of("a jwt route with every setting", MINIMAL.replace("    public: true\n", """
                            public: false
                            policies:
                              - jwt:
                                  jwks_file: keys/jwks.json
                                  public_keys: ~
                                  algorithms: ES256
                                  issuer: https://issuer.bulwark.local
                                  audiences: bulwark
                                  clock_skew: 0s
                                  max_lifetime: 1h
                                  required_claims: [jti, tenant]
                                  consumer_claim: client_id
                                  token: {cookie: session}
                                  max_token_bytes: 16KiB
                                  cache_size: 0
                        """)),
                Arguments.of(
                        "a jwt route with remote keys (the loader does not wait for them)",
                        WITH_JWT.replace(
                                "jwks_file: keys/jwks.json",
                                "jwks_url: http://127.0.0.1:1/jwks.json\n          jwks_refresh: 10m\n"
                                        + "          jwks_min_refetch: 1m\n          jwks_timeout: 500ms\n"
                                        + "          jwks_max_bytes: 64KiB")),
                Arguments.of("an introspection route that is not public", WITH_INTROSPECTION),
                Arguments.of("an introspection route with every setting", MINIMAL.replace("    public: true\n", """
                            policies:
                              - introspection:
                                  endpoint: http://127.0.0.1:1/introspect
                                  client_id: bulwark-gateway
                                  client_secret: not-a-real-secret
                                  client_auth: client_secret_post
                                  token: {header: X-Access-Token}
                                  timeout: 500ms
                                  cache: {max_entries: 1000, max_ttl: 1m, inactive_ttl: 0s}
                                  max_concurrent: 16
                                  issuer: https://idp.example.com
                                  audiences: orders-api
                                  consumer_claim: sub
                                  environment_claim: deployment
                                  max_response_bytes: 16KiB
                        """)),
                Arguments.of(
                        "a jwt route with environment_claim",
                        WITH_JWT.replace("issuer:", "environment_claim: deployment\n          issuer:")),
                Arguments.of("a jwt route with authz (route scopes, a claim rule) and step-up", WITH_JWT + """
                              - authz:
                                  scopes: [orders:read]
                                  rules:
                                    - name: verified
                                      when: "method != 'GET'"
                                      require: "claims.email_verified == true and 'staff' in claims.roles"
                              - step-up:
                                  max_age: 5m
                                  acr_values: [urn:acme:mfa]
                        """),
                Arguments.of("an openapi policy with every setting", WITH_OPENAPI + """
                            policies:
                              - openapi:
                                  mode: enforce
                                  operations: {createUser: {mode: monitor}}
                                  unknown_properties: deny
                                  limits: {max_json_depth: 16, max_array_items: 100, max_string_length: "10_000", max_properties: 50}
                                  responses:
                                    strict: false
                                    undeclared_status: replace
                                    undeclared_content_type: log
                                    max_response_bytes: 2MiB
                        """),
                Arguments.of("an empty openapi policy", WITH_OPENAPI + """
                            policies:
                              - openapi:
                        """),
                Arguments.of("a jwt route with an empty authz", WITH_JWT + """
                              - authz:
                        """),
                Arguments.of("mtls and certificate-bound tokens behind a listener with client certificates", """
                        listeners:
                          - port: 8443
                            protocol: https
                            tls:
                              certificate: tls/cert.pem
                              key: tls/key.pem
                              client_auth: {mode: optional, trusted_ca: tls/cert.pem}
                        upstreams:
                          backend:
                            targets: http://127.0.0.1:9000
                        routes:
                          - id: partners
                            path: /partners
                            upstream: backend
                            policies:
                              - mtls:
                                  consumer_from: san_uri
                                  allowed_subjects: "CN=billing, O=Acme"
                                  allowed_sans: [URI:spiffe://acme/billing, DNS:billing.acme.example]
                                  scopes: [orders:read]
                          - id: machines
                            path: /machines
                            upstream: backend
                            policies:
                              - mtls:
                          - id: bound
                            path: /bound
                            upstream: backend
                            policies:
                              - jwt:
                                  jwks_file: keys/jwks.json
                                  issuer: https://issuer.bulwark.local
                                  audiences: [bulwark]
                                  certificate_binding: required
                        """),
                Arguments.of(
                        "a jwt route that is also public (a warning)",
                        WITH_JWT.replace("upstream: backend\n", "upstream: backend\n    public: true\n")),
                Arguments.of("a redirect listener", MINIMAL.replace("  - port: 8080", """
                          - port: 8080
                          - port: 8081
                            protocol: redirect
                            redirect_port: 8443
                        """.stripTrailing())));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("validVariants")
    void valid_variants_pass_both_the_schema_and_the_loader(String name, String yaml)
            throws IOException, ConfigException {
        assertThat(schemaErrors(yaml)).as(name).isEmpty();
        assertThat(loadInline(yaml).routes()).as(name).isNotEmpty();
    }

    @Test
    void empty_and_null_values_get_the_defaults() throws IOException, ConfigException {
        GatewayConfig config = loadInline(WITH_EMPTY_VALUES);

        assertThat(config.limits()).isEqualTo(LimitsConfig.DEFAULT);
        assertThat(config.listeners().get(0).host()).isEqualTo("0.0.0.0");
        assertThat(config.listeners().get(1).hsts()).isEqualTo(HstsConfig.DEFAULT);
        assertThat(config.routes().get(0).hosts()).containsExactly("*");
        assertThat(config.admin().enabled())
                .as("'admin: null' means no admin listener")
                .isFalse();
        assertThat(config.accessLog().enabled()).isTrue();
        assertThat(config.accessLog().file()).as("stdout").isNull();
        assertThat(config.drainTimeout()).isEqualTo(Duration.ofSeconds(30));
    }

    /** YAML features the schema validator resolves silently; the loader refuses them, as configuration.md says. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("yamlTheSchemaCannotSee")
    void the_loader_refuses_aliases_and_duplicate_keys(String name, String error, String yaml) {
        assertThatThrownBy(() -> loadInline(yaml))
                .as(name)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(error);
    }

    static Stream<Arguments> yamlTheSchemaCannotSee() {
        return Stream.of(
                Arguments.of(
                        "an alias",
                        "found a YAML anchor or alias",
                        MINIMAL.replace("  backend:", "  backend: &b").replace("upstream: backend", "upstream: *b")),
                Arguments.of(
                        "an unquoted host wildcard (read as an alias)",
                        "invalid YAML: while scanning an alias",
                        MINIMAL.replace("path: /", "host: *.example.com\n    path: /")),
                Arguments.of(
                        "a duplicate key",
                        "routes[0].path: found a duplicate key 'path'",
                        MINIMAL.replace("path: /", "path: /\n    path: /api")));
    }

    static Stream<Arguments> invalidConfigs() {
        return Stream.of(
                Arguments.of("unknown top-level key", "drain_timout", MINIMAL + "drain_timout: 10s\n"),
                Arguments.of(
                        "unknown listener key",
                        "listeners[0].bind",
                        MINIMAL.replace("- port: 8080", "- port: 8080\n    bind: 0.0.0.0")),
                Arguments.of("tls on an http listener", "listeners[0].tls", MINIMAL.replace("- port: 8080", """
                        - port: 8080
                            tls: {certificate: tls/cert.pem, key: tls/key.pem}""")),
                Arguments.of(
                        "https listener without tls",
                        "listeners[0].tls",
                        MINIMAL.replace("- port: 8080", "- port: 8443\n    protocol: https")),
                Arguments.of("duration without a unit", "drain_timeout", MINIMAL + "drain_timeout: 30\n"),
                Arguments.of("duration with a bad unit", "drain_timeout", MINIMAL + "drain_timeout: 30sec\n"),
                Arguments.of(
                        "size with a bad unit", "limits.max_body_bytes", MINIMAL + "limits:\n  max_body_bytes: 10mb\n"),
                Arguments.of("integer out of range", "event_queue_size", MINIMAL + "event_queue_size: 8\n"),
                Arguments.of(
                        "port of the wrong type", "listeners[0].port", MINIMAL.replace("port: 8080", "port: eighty")),
                Arguments.of("a cors policy with an empty value", "allow_origins", MINIMAL + """
                            policies:
                              - cors:
                        """),
                Arguments.of("an empty policy entry", "routes[0].policies[0]", MINIMAL + """
                            policies:
                              -
                        """),
                Arguments.of("a request-size policy whose only limit is null", "request-size", MINIMAL + """
                            policies:
                              - request-size: {max_body_bytes: ~}
                        """),
                Arguments.of("an empty header value", "response.set", MINIMAL + """
                            policies:
                              - headers: {response: {set: {X-Empty: ""}}}
                        """),
                Arguments.of(
                        "an https listener with an empty tls",
                        "listeners[0].tls",
                        MINIMAL.replace("- port: 8080", "- port: 8443\n    protocol: https\n    tls:")),
                Arguments.of("list where an object is expected", "limits", MINIMAL + "limits: [1, 2]\n"),
                Arguments.of(
                        "object where a list is expected",
                        "listeners",
                        MINIMAL.replace("  - port: 8080", "  port: 8080")),
                Arguments.of(
                        "yes is not a boolean", "routes[0].public", MINIMAL.replace("public: true", "public: yes")),
                Arguments.of(
                        "route without authentication and not public",
                        "no authentication policy",
                        MINIMAL.replace("    public: true\n", "")),
                Arguments.of(
                        "api-key reading the Authorization header",
                        "bearer tokens belong to the jwt policy",
                        MINIMAL.replace("    public: true\n", """
                            policies:
                              - api-key:
                                  header: Authorization
                                  keys:
                                    - id: partner-a
                                      hash: "sha256:abababababababababababababababababababababababababababababababab"
                        """)),
                Arguments.of(
                        "jwt with an HMAC algorithm",
                        "asymmetric algorithms only",
                        WITH_JWT.replace("issuer:", "algorithms: [HS256]\n          issuer:")),
                Arguments.of(
                        "jwt without an issuer",
                        "the required key 'issuer'",
                        WITH_JWT.replace("          issuer: https://issuer.bulwark.local\n", "")),
                Arguments.of("jwt with no audience", "audiences", WITH_JWT.replace("[bulwark]", "[]")),
                Arguments.of(
                        "jwt without a key source",
                        "no key source",
                        WITH_JWT.replace("          jwks_file: keys/jwks.json\n", "")),
                Arguments.of(
                        "jwt with a jwks_url over http to a host that is not loopback",
                        "http to a host that is not loopback",
                        WITH_JWT.replace(
                                "jwks_file: keys/jwks.json", "jwks_url: http://issuer.bulwark.local/jwks.json")),
                Arguments.of(
                        "jwt reading the token from a header and a cookie",
                        "token",
                        WITH_JWT.replace("issuer:", "token: {header: X-Token, cookie: session}\n          issuer:")),
                Arguments.of(
                        "client_auth without trusted_ca",
                        "trusted_ca",
                        MINIMAL.replace(
                                "- port: 8080",
                                "- port: 8443\n    protocol: https\n    tls: {certificate: tls/cert.pem, key:"
                                        + " tls/key.pem, client_auth: {mode: required}}")),
                Arguments.of(
                        "client_auth with an unknown mode",
                        "client_auth.mode",
                        MINIMAL.replace(
                                "- port: 8080",
                                "- port: 8443\n    protocol: https\n    tls: {certificate: tls/cert.pem, key:"
                                        + " tls/key.pem, client_auth: {mode: want, trusted_ca: tls/cert.pem}}")),
                Arguments.of(
                        "mtls with an unknown consumer source",
                        "consumer_from",
                        MINIMAL.replace("    public: true\n", """
                            policies:
                              - mtls: {consumer_from: cn}
                        """)),
                Arguments.of(
                        "mtls with a subject alternative name without its type",
                        "allowed_sans",
                        MINIMAL.replace("    public: true\n", """
                            policies:
                              - mtls: {allowed_sans: [billing.acme.example]}
                        """)),
                Arguments.of(
                        "jwt with an unknown certificate_binding",
                        "certificate_binding",
                        WITH_JWT.replace("issuer:", "certificate_binding: always\n          issuer:")),
                Arguments.of(
                        "jwt with a negative cache size",
                        "cache_size",
                        WITH_JWT.replace("issuer:", "cache_size: -1\n          issuer:")),
                Arguments.of(
                        "introspection over http to a host that is not loopback",
                        "http to a host that is not loopback",
                        WITH_INTROSPECTION.replace("https://idp.example.com", "http://idp.example.com")),
                Arguments.of(
                        "introspection with an unknown client_auth",
                        "client_auth",
                        WITH_INTROSPECTION.replace("client_id:", "client_auth: private_key_jwt\n          client_id:")),
                Arguments.of(
                        "introspection without a client_id",
                        "the required key 'client_id'",
                        WITH_INTROSPECTION.replace("          client_id: bulwark-gateway\n", "")),
                Arguments.of(
                        "introspection with a cache that is not an object",
                        "cache",
                        WITH_INTROSPECTION.replace("client_id:", "cache: 5m\n          client_id:")),
                Arguments.of(
                        "route path with a trailing slash",
                        "routes[0].path",
                        MINIMAL.replace("path: /", "path: /api/")),
                Arguments.of(
                        "route path with a dot segment",
                        "routes[0].path",
                        MINIMAL.replace("path: /", "path: /api/../admin")),
                Arguments.of(
                        "upstream target with a query",
                        "upstreams.backend.targets",
                        MINIMAL.replace("9000", "9000/?debug=1")),
                Arguments.of(
                        "upstream target without a scheme",
                        "upstreams.backend.targets",
                        MINIMAL.replace("http://127.0.0.1:9000", "127.0.0.1:9000")),
                Arguments.of("short admin token", "admin.token", MINIMAL + "admin:\n  token: short\n"),
                Arguments.of("unknown policy", "routes[0].policies[0]", MINIMAL + """
                            policies:
                              - rate-limit: {}
                        """),
                Arguments.of("two policies in one entry", "routes[0].policies[0]", MINIMAL + """
                            policies:
                              - cors: {allow_origins: "*"}
                                headers: {}
                        """),
                Arguments.of("cors without origins", "allow_origins", MINIMAL + """
                            policies:
                              - cors: {allow_methods: [GET]}
                        """),
                Arguments.of("cors credentials with any origin", "allow_origins", MINIMAL + """
                            policies:
                              - cors: {allow_origins: "*", allow_credentials: true}
                        """),
                Arguments.of("openapi with an unknown mode", "mode", WITH_OPENAPI + """
                            policies:
                              - openapi: {mode: block}
                        """),
                Arguments.of("openapi with an unknown limit", "max_depth", WITH_OPENAPI + """
                            policies:
                              - openapi: {limits: {max_depth: 10}}
                        """),
                Arguments.of(
                        "openapi with an unknown undeclared_status action", "undeclared_status", WITH_OPENAPI + """
                            policies:
                              - openapi: {responses: {undeclared_status: drop}}
                        """),
                Arguments.of("openapi with an unknown responses key", "max_body", WITH_OPENAPI + """
                            policies:
                              - openapi: {responses: {max_body: 1MiB}}
                        """),
                Arguments.of("authz with an unknown unknown_operations value", "unknown_operations", WITH_JWT + """
                              - authz: {unknown_operations: permit}
                        """),
                Arguments.of("authz rule without require", "require", WITH_JWT + """
                              - authz:
                                  rules: [{name: r}]
                        """),
                Arguments.of(
                        "authz expression over 2 KiB", "rules[0].require", WITH_JWT + """
                              - authz:
                                  rules: [{name: r, require: "%s"}]
                        """.formatted("x".repeat(3000))),
                Arguments.of("step-up without max_age or acr_values", "step-up", WITH_JWT + """
                              - step-up: {}
                        """),
                Arguments.of("step-up max_age without a unit", "max_age", WITH_JWT + """
                              - step-up: {max_age: 300}
                        """),
                Arguments.of("request-size with no limit", "request-size", MINIMAL + """
                            policies:
                              - request-size: {}
                        """),
                Arguments.of("headers policy touching a protected header", "response.remove", MINIMAL + """
                            policies:
                              - headers:
                                  response:
                                    remove: [Content-Length]
                        """),
                Arguments.of(
                        "trusted proxy that is a host name",
                        "trusted_proxies",
                        MINIMAL + "trusted_proxies: [lb.internal]\n"),
                Arguments.of("tls protocol that is too old", "tls.protocols", MINIMAL.replace("- port: 8080", """
                        - port: 8443
                            protocol: https
                            tls: {certificate: tls/cert.pem, key: tls/key.pem, protocols: [TLSv1.1]}""")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidConfigs")
    void invalid_configs_are_rejected_by_both_the_schema_and_the_loader(String name, String error, String yaml) {
        assertThat(schemaErrors(yaml)).as(name).isNotEmpty();
        assertThatThrownBy(() -> loadInline(yaml))
                .as(name)
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(error);
    }
}
