package io.bulwark.gateway.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.api.config.ConfigError;
import io.bulwark.api.config.ConfigException;
import io.bulwark.policies.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error path of the loader: each error names file, line, column, key, what was found and what was expected. */
class ConfigLoaderTest {
    @TempDir
    Path dir;

    static final String VALID = """
            listeners:
              - name: http
                port: 8080
            upstreams:
              shop:
                targets: [http://127.0.0.1:9000]
            routes:
              - id: shop
                path: /api
                upstream: shop
                public: true
            """;

    GatewayConfig load(String yaml) throws Exception {
        return load(yaml, Map.of());
    }

    GatewayConfig load(String yaml, Map<String, String> env) throws Exception {
        Path f = dir.resolve("bulwark.yaml");
        Files.writeString(f, yaml, StandardCharsets.UTF_8);
        return new ConfigLoader(new YamlConfigReader(env::get), PolicyRegistry.load()).load(f);
    }

    List<ConfigError> errors(String yaml) {
        try {
            load(yaml);
        } catch (ConfigException e) {
            return e.errors();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        throw new AssertionError("expected the config to be refused");
    }

    ConfigError onlyError(String yaml) {
        List<ConfigError> e = errors(yaml);
        assertThat(e).hasSize(1);
        return e.get(0);
    }

    @Test
    void loads_a_minimal_config_with_defaults() throws Exception {
        GatewayConfig c = load(VALID);
        assertThat(c.listeners()).hasSize(1);
        assertThat(c.listeners().get(0).protocol()).isEqualTo(ListenerConfig.Protocol.HTTP);
        assertThat(c.listeners().get(0).host()).isEqualTo("0.0.0.0");
        assertThat(c.limits()).isEqualTo(LimitsConfig.DEFAULT);
        assertThat(c.routes().get(0).hosts()).containsExactly("*");
        assertThat(c.upstreams().get("shop").retries()).isEqualTo(1);
        assertThat(c.admin().enabled()).isFalse();
        assertThat(c.accessLog().enabled()).isTrue();
    }

    @Test
    void refuses_a_route_without_authentication_unless_public() {
        ConfigError e = onlyError(VALID.replace("    public: true\n", ""));
        assertThat(e.key()).isEqualTo("routes[0]");
        assertThat(e.found()).contains("no authentication policy");
        assertThat(e.expected()).contains("public: true");
        assertThat(e.location().line()).isEqualTo(8);
    }

    @Test
    void names_file_line_column_and_suggests_a_close_upstream() {
        ConfigError e = onlyError(VALID.replace("upstream: shop", "upstream: shpo"));
        assertThat(e.message())
                .isEqualTo(dir.resolve("bulwark.yaml")
                        + ":10:15: routes[0].upstream: found \"shpo\" (expected: one of shop; did you mean 'shop'?)");
    }

    @Test
    void refuses_unknown_keys_with_did_you_mean() {
        ConfigError e = onlyError(VALID + "acess_log: {enabled: false}\n");
        assertThat(e.key()).isEqualTo("acess_log");
        assertThat(e.found()).isEqualTo("unknown key 'acess_log'");
        assertThat(e.expected()).contains("did you mean 'access_log'?");
        ConfigError nested = onlyError(VALID.replace("port: 8080", "port: 8080\n    hots: 1.2.3.4"));
        assertThat(nested.key()).isEqualTo("listeners[0].hots");
        assertThat(nested.expected()).contains("'host'");
    }

    @Test
    void refuses_an_unknown_policy_with_suggestion() {
        ConfigError e =
                onlyError(VALID.replace("    public: true\n", "    public: true\n    policies:\n      - crs: {}\n"));
        assertThat(e.found()).isEqualTo("\"crs\"");
        assertThat(e.expected()).contains("cors").contains("did you mean 'cors'?");
    }

    @Test
    void reports_policy_config_errors_at_their_location() {
        ConfigError e = onlyError(VALID.replace(
                "    public: true\n",
                "    public: true\n    policies:\n      - cors: {allow_origins: [\"ftp://x\"]}\n"));
        assertThat(e.key()).isEqualTo("routes[0].policies[0].cors.allow_origins[0]");
        assertThat(e.location().line()).isEqualTo(13);
    }

    @Test
    void collects_errors_from_independent_sections() {
        List<ConfigError> e = errors("""
                listeners:
                  - {port: 70000}
                limits: {max_body_bytes: lots}
                upstreams:
                  shop: {targets: ["ftp://x"]}
                routes:
                  - {id: "bad id!", path: /, upstream: shop, public: true}
                admin: {token: short}
                """);
        assertThat(e)
                .extracting(ConfigError::key)
                .containsExactlyInAnyOrder(
                        "listeners[0].port",
                        "limits.max_body_bytes",
                        "upstreams.shop.targets",
                        "routes[0].id",
                        "admin.token");
        assertThat(e.stream()
                        .filter(x -> x.key().equals("admin.token"))
                        .findFirst()
                        .orElseThrow()
                        .found())
                .isEqualTo("a token of 5 characters")
                .doesNotContain("short");
    }

    @Test
    void refuses_bad_values_with_what_was_expected() {
        assertThat(onlyError(VALID.replace("port: 8080", "port: http")).expected())
                .isEqualTo("an integer in 0..65535");
        assertThat(onlyError(VALID + "limits: {request_timeout: 10}\n").expected())
                .contains("a duration such as");
        assertThat(onlyError(VALID + "limits: {request_timeout: 2h}\n").expected())
                .contains("from 100ms to 1h");
        assertThat(onlyError(VALID + "limits: {max_header_bytes: 10}\n").expected())
                .contains("from 1024");
        assertThat(onlyError(VALID.replace("public: true", "public: yes")).expected())
                .isEqualTo("true or false");
        assertThat(onlyError(VALID.replace("path: /api", "path: api")).key()).isEqualTo("routes[0].path");
        assertThat(onlyError(VALID.replace("path: /api", "path: /api/../admin")).key())
                .isEqualTo("routes[0].path");
        assertThat(onlyError(VALID + "trusted_proxies: [10.0.0.0/33]\n").key()).isEqualTo("trusted_proxies");
        assertThat(onlyError(VALID.replace("protocol: http", "")
                                .replace("- name: http", "- name: http\n    protocol: htps"))
                        .expected())
                .contains("did you mean 'https'?");
    }

    @Test
    void requires_tls_for_https_and_refuses_old_protocols() throws Exception {
        String https = VALID.replace("port: 8080", "port: 8443\n    protocol: https");
        assertThat(onlyError(https).key()).isEqualTo("listeners[0].tls");
        Files.writeString(dir.resolve("c.pem"), "x");
        Files.writeString(dir.resolve("k.pem"), "x");
        String tls = https.replace(
                "protocol: https", "protocol: https\n    tls: {certificate: c.pem, key: k.pem, protocols: [TLSv1.1]}");
        ConfigError e = onlyError(tls);
        assertThat(e.key()).isEqualTo("listeners[0].tls.protocols");
        assertThat(e.expected()).contains("TLSv1.2 or TLSv1.3");
        assertThat(onlyError(tls.replace("c.pem", "missing.pem")).key()).isEqualTo("listeners[0].tls.certificate");
        GatewayConfig ok = load(tls.replace("[TLSv1.1]", "[TLSv1.3]"));
        assertThat(ok.listeners().get(0).tls().protocols()).containsExactly("TLSv1.3");
        assertThat(ok.listeners().get(0).hsts()).isEqualTo(HstsConfig.DEFAULT);
    }

    @Test
    void loads_client_auth_and_checks_its_files() throws Exception {
        TestPki.Issued ca = TestPki.ca("CN=Clients CA");
        TestPki.Issued other = TestPki.ca("CN=Other CA");
        TestPki.write(dir.resolve("ca.pem"), TestPki.pemOf(ca.certificate()));
        TestPki.write(dir.resolve("crl.pem"), TestPki.crl(ca));
        TestPki.write(dir.resolve("other-crl.pem"), TestPki.crl(other));
        TestPki.write(dir.resolve("not-pem.pem"), "hello");
        Files.writeString(dir.resolve("c.pem"), "x");
        Files.writeString(dir.resolve("k.pem"), "x");
        String base = VALID.replace(
                "port: 8080",
                "port: 8443\n    protocol: https\n    tls: {certificate: c.pem, key: k.pem, client_auth: CA}");

        GatewayConfig ok = load(base.replace("CA", "{mode: optional, trusted_ca: ca.pem, crl: crl.pem}"));
        ClientAuthConfig auth = ok.listeners().get(0).tls().clientAuth();
        assertThat(auth.mode()).isEqualTo(ClientAuthConfig.Mode.OPTIONAL);
        assertThat(auth.trustedCa()).isEqualTo(dir.resolve("ca.pem"));
        assertThat(auth.crl()).isEqualTo(dir.resolve("crl.pem"));
        assertThat(load(base.replace("CA", "{trusted_ca: ca.pem}"))
                        .listeners()
                        .get(0)
                        .tls()
                        .clientAuth()
                        .mode())
                .as("required by default")
                .isEqualTo(ClientAuthConfig.Mode.REQUIRED);
        assertThat(load(VALID.replace(
                                "port: 8080",
                                "port: 8443\n    protocol: https\n    tls: {certificate: c.pem, key: k.pem}"))
                        .listeners()
                        .get(0)
                        .tls()
                        .clientAuth())
                .isNull();

        ConfigError mode = onlyError(base.replace("CA", "{mode: want, trusted_ca: ca.pem}"));
        assertThat(mode.key()).isEqualTo("listeners[0].tls.client_auth.mode");
        assertThat(mode.location().line()).isEqualTo(5);
        assertThat(onlyError(base.replace("CA", "{mode: required}")).key())
                .isEqualTo("listeners[0].tls.client_auth.trusted_ca");
        ConfigError missing = onlyError(base.replace("CA", "{trusted_ca: nope.pem}"));
        assertThat(missing.key()).isEqualTo("listeners[0].tls.client_auth.trusted_ca");
        assertThat(missing.expected()).contains("readable file");
        ConfigError notPem = onlyError(base.replace("CA", "{trusted_ca: not-pem.pem}"));
        assertThat(notPem.expected()).contains("PEM file of one or more CA certificates");
        TestPki.write(
                dir.resolve("with-key.pem"),
                TestPki.pemOf(ca.certificate()) + "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThat(onlyError(base.replace("CA", "{trusted_ca: with-key.pem}")).found())
                .contains("private key");
        ConfigError badCrl = onlyError(base.replace("CA", "{trusted_ca: ca.pem, crl: not-pem.pem}"));
        assertThat(badCrl.key()).isEqualTo("listeners[0].tls.client_auth.crl");
        assertThat(onlyError(base.replace("CA", "{trusted_ca: ca.pem, crl: other-crl.pem}"))
                        .found())
                .contains("not signed by any 'trusted_ca' certificate");
        assertThat(onlyError(base.replace("CA", "{trusted_ca: ca.pem, crl: missing.pem}"))
                        .key())
                .isEqualTo("listeners[0].tls.client_auth.crl");
        assertThat(onlyError(base.replace("CA", "{trusted_ca: ca.pem, verify: true}"))
                        .found())
                .contains("verify");
    }

    @Test
    void refuses_client_auth_on_a_plain_http_listener() {
        ConfigError e = onlyError(VALID.replace(
                "port: 8080", "port: 8080\n    tls: {client_auth: {mode: required, trusted_ca: ca.pem}}"));
        assertThat(e.key()).isEqualTo("listeners[0].tls");
        assertThat(e.found()).contains("tls");
    }

    @Test
    void refuses_duplicate_route_ids_and_duplicate_matches() {
        String two = VALID + "  - {id: shop, path: /other, upstream: shop, public: true}\n";
        assertThat(onlyError(two).found()).contains("used twice");
        String same = VALID + "  - {id: other, path: /api, upstream: shop, public: true}\n";
        assertThat(onlyError(same).found()).contains("a second route for host * and path /api");
    }

    @Test
    void substitutes_secrets_and_names_a_missing_one() throws Exception {
        String withToken = VALID + "admin: {token: \"${env:BULWARK_TOKEN}\"}\n";
        assertThat(load(withToken, Map.of("BULWARK_TOKEN", "0123456789abcdef0123"))
                        .admin()
                        .token())
                .isEqualTo("0123456789abcdef0123");
        ConfigError e = onlyError(withToken);
        assertThat(e.found()).isEqualTo("${env:BULWARK_TOKEN}, but BULWARK_TOKEN is not set");
        Files.writeString(dir.resolve("token.txt"), "file-secret-0123456789\n");
        assertThat(load(VALID + "admin: {token: \"${file:token.txt}\"}\n")
                        .admin()
                        .token())
                .isEqualTo("file-secret-0123456789");
        ConfigError missingFile = onlyError(VALID + "admin: {token: \"${file:nope.txt}\"}\n");
        assertThat(missingFile.found()).contains("nope.txt").contains("does not exist");
        // a secret that is invalid is described, never printed
        ConfigError shortSecret =
                errors(VALID + "admin: {port: \"${env:P}\"}\n").get(0);
        assertThat(shortSecret.found()).isEqualTo("${env:P}, but P is not set");
    }

    @Test
    void never_prints_a_secret_value_in_an_error() {
        List<ConfigError> e;
        try {
            load(VALID + "admin: {port: \"${env:SECRET_PORT}\"}\n", Map.of("SECRET_PORT", "hunter2-the-password"));
            throw new AssertionError("expected failure");
        } catch (ConfigException ex) {
            e = ex.errors();
        } catch (Exception ex) {
            throw new AssertionError(ex);
        }
        assertThat(e.get(0).found()).isEqualTo("a secret value");
        assertThat(e.get(0).message()).doesNotContain("hunter2");
    }

    @Test
    void warns_about_admin_off_loopback_and_missing_token() throws Exception {
        GatewayConfig c = load(VALID + "admin: {host: 0.0.0.0}\n");
        assertThat(c.warnings())
                .anyMatch(w -> w.contains("not loopback"))
                .anyMatch(w -> w.contains("token is not set"));
    }

    @Test
    void treats_an_empty_value_as_absent() throws Exception {
        assertThat(load(VALID + "limits:\n").limits()).isEqualTo(LimitsConfig.DEFAULT);
    }

    @Test
    void refuses_empty_and_non_object_files() {
        assertThat(onlyError("").found()).isEqualTo("an empty file");
        assertThat(onlyError("- a\n- b\n").expected()).isEqualTo("an object");
        assertThat(onlyError("listeners: [\n").found()).startsWith("invalid YAML");
    }

    @Test
    void refuses_a_missing_file_clearly() {
        assertThatThrownBy(() -> ConfigLoader.standard().load(dir.resolve("none.yaml")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("none.yaml")
                .hasMessageContaining("no such file");
    }

    @Test
    void warns_when_a_route_uses_a_discouraged_policy() throws Exception {
        String apiKey = VALID.replace(
                "    public: true\n",
                "    policies:\n      - api-key: {keys: [{id: app, hash: \"sha256:" + "ab".repeat(32) + "\"}]}\n");
        GatewayConfig c = load(apiKey);
        assertThat(c.routes().get(0).isPublic()).isFalse();
        assertThat(c.warnings()).anyMatch(w -> w.contains("route shop uses api-key, which is discouraged"));
    }
}
