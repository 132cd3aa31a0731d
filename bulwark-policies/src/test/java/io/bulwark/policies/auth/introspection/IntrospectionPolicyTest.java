package io.bulwark.policies.auth.introspection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.Principal;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.TestExchange;
import io.bulwark.policies.auth.AuthErrors;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code introspection} policy against a real in-process RFC 7662 server on port 0, tried the way an attacker
 * would: revoked and expired tokens, a slow, dead or broken server, floods of one token or of many.
 */
class IntrospectionPolicyTest {
    static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    static final String CLIENT_ID = "gateway";
    /** Characters that must be form-encoded before Basic encoding (RFC 6749 §2.3.1). */
    static final String SECRET = "s3cr:et+/%&=";

    static final String GOOD = "opaque-good-token-4f9a";
    static final String REVOKED = "opaque-revoked-token-77c1";

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock();
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private final CountDownLatch release = new CountDownLatch(1);
    private HttpServer server;
    private String endpoint;

    private final AtomicInteger hits = new AtomicInteger();
    private final AtomicInteger authFailures = new AtomicInteger();
    private final Map<String, String> answers = new ConcurrentHashMap<>();
    private final List<Map<String, String>> forms = java.util.Collections.synchronizedList(new ArrayList<>());
    private final List<Map<String, List<String>>> heads = java.util.Collections.synchronizedList(new ArrayList<>());
    private volatile String expectedAuth = "client_secret_basic";
    private volatile int status = 200;
    private volatile String fixedBody;
    private volatile long delayMillis;
    private volatile boolean hang;
    private volatile boolean chunked;

    @BeforeEach
    void setUp() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/introspect", this::serve);
        server.start();
        endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/introspect";
        answers.put(GOOD, activeJson(Map.of()));
        answers.put(REVOKED, "{\"active\":false}");
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    // ---- the introspection server

    private void serve(HttpExchange ex) throws IOException {
        hits.incrementAndGet();
        try (ex) {
            Map<String, String> form =
                    parseForm(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            forms.add(form);
            heads.add(Map.copyOf(ex.getRequestHeaders()));
            if (hang) {
                release.await(30, TimeUnit.SECONDS);
                return;
            }
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            if (!clientAuthenticated(ex, form)) {
                authFailures.incrementAndGet();
                send(ex, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String body = fixedBody != null ? fixedBody : answers.getOrDefault(form.get("token"), "{\"active\":false}");
            send(ex, status, body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client went away (timeout, size limit): expected in some tests.
        }
    }

    private boolean clientAuthenticated(HttpExchange ex, Map<String, String> form) {
        String basic = ex.getRequestHeaders().getFirst("Authorization");
        if (expectedAuth.equals("client_secret_basic")) {
            String expected = "Basic "
                    + Base64.getEncoder()
                            .encodeToString((enc(CLIENT_ID) + ":" + enc(SECRET)).getBytes(StandardCharsets.UTF_8));
            return expected.equals(basic) && !form.containsKey("client_secret");
        }
        return basic == null && CLIENT_ID.equals(form.get("client_id")) && SECRET.equals(form.get("client_secret"));
    }

    private void send(HttpExchange ex, int code, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(code, chunked ? 0 : bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    private static Map<String, String> parseForm(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(
                        URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    /** An active answer: client "app-1" for user "user-1", exp in an hour; extra members override. */
    private static String activeJson(Map<String, Object> extra) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("active", true);
        m.put("client_id", "app-1");
        m.put("sub", "user-1");
        m.put("scope", "orders:read orders:write");
        m.put("exp", NOW.plusSeconds(3600).getEpochSecond());
        m.put("auth_time", NOW.minusSeconds(60).getEpochSecond());
        m.putAll(extra);
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> {
            if (sb.length() > 1) {
                sb.append(',');
            }
            sb.append('"').append(k).append("\":");
            if (v instanceof String s) {
                sb.append('"').append(s).append('"');
            } else if (v instanceof List<?> list) {
                sb.append('[');
                for (int i = 0; i < list.size(); i++) {
                    sb.append(i > 0 ? "," : "").append('"').append(list.get(i)).append('"');
                }
                sb.append(']');
            } else {
                sb.append(v);
            }
        });
        return sb.append('}').toString();
    }

    // ---- the policy

    private Map<String, Object> config() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("endpoint", endpoint);
        m.put("client_id", CLIENT_ID);
        m.put("client_secret", SECRET);
        m.put("timeout", "2s");
        return m;
    }

    private IntrospectionPolicy policy(Map<String, Object> config) throws ConfigException {
        return policy(config, null);
    }

    private IntrospectionPolicy policy(Map<String, Object> config, String environment) throws ConfigException {
        return (IntrospectionPolicy) new IntrospectionPolicyFactory(clock)
                .create(
                        ConfigNode.fromValue(config, "test.yaml"),
                        new PolicyContext(dir, "r1", List.of(), environment));
    }

    private String failure(Map<String, Object> config) {
        Throwable t = catchThrowable(() -> policy(config));
        assertThat(t).isInstanceOf(ConfigException.class);
        assertThat(t.getMessage()).doesNotContain(SECRET);
        return t.getMessage();
    }

    private static TestExchange bearer(String token) {
        return TestExchange.request("GET", "/orders").header("Authorization", "Bearer " + token);
    }

    private static Decision await(CompletableFuture<Decision> f) throws Exception {
        return f.get(10, TimeUnit.SECONDS);
    }

    private static Decision run(Policy p, TestExchange ex) throws Exception {
        return await(p.onRequest(ex).toCompletableFuture());
    }

    private static Decision.Reject assertRejected(Decision d, ErrorKey key) {
        assertThat(d).isInstanceOf(Decision.Reject.class);
        Decision.Reject r = (Decision.Reject) d;
        assertThat(r.key()).isSameAs(key);
        return r;
    }

    /** A 401 with an invalid_token challenge that echoes neither the token nor the secret. */
    private static void assertInvalidToken(Decision d, ErrorKey key, String token) {
        Decision.Reject r = assertRejected(d, key);
        assertThat(r.key().status()).isEqualTo(401);
        assertThat(r.headers().get("WWW-Authenticate"))
                .startsWith("Bearer realm=\"bulwark\"")
                .contains("error=\"invalid_token\"");
        assertThat(r.detail() + r.headers()).doesNotContain(token).doesNotContain(SECRET);
    }

    private static void assertUnavailable(Decision d) {
        Decision.Reject r = assertRejected(d, IntrospectionErrors.INTROSPECTION_UNAVAILABLE);
        assertThat(r.key().status()).isEqualTo(503);
        assertThat(r.headers()).containsKey("Retry-After");
        assertThat(r.detail() + r.headers())
                .doesNotContain(GOOD)
                .doesNotContain(SECRET)
                .doesNotContain("invalid_client")
                .doesNotContain("boom");
    }

    // ---- accepted

    @Test
    void accepts_an_active_token_and_publishes_the_principal() throws Exception {
        TestExchange ex = bearer(GOOD);
        assertThat(run(policy(config()), ex)).isInstanceOf(Decision.Proceed.class);

        Principal p = ex.attribute(Attributes.PRINCIPAL).orElseThrow();
        assertThat(p.consumerId()).isEqualTo("app-1");
        assertThat(p.subject()).isEqualTo("user-1");
        assertThat(p.scopes()).containsExactlyInAnyOrder("orders:read", "orders:write");
        assertThat(p.authMethod()).isEqualTo("introspection");
        assertThat(p.authTime()).isEqualTo(NOW.minusSeconds(60));
        assertThat(p.claims()).containsEntry("client_id", "app-1").containsKey("exp");
        assertThat(ex.attribute(Attributes.CONSUMER_ID)).contains("app-1");

        Map<String, String> form = forms.get(0);
        assertThat(form).containsEntry("token", GOOD).containsEntry("token_type_hint", "access_token");
        assertThat(heads.get(0).get("Accept")).containsExactly("application/json");
        assertThat(heads.get(0).get("Content-type")).containsExactly("application/x-www-form-urlencoded");
        assertThat(authFailures.get()).isZero();
    }

    @Test
    void falls_back_to_sub_and_reads_the_configured_consumer_claim() throws Exception {
        answers.put(
                "no-client",
                "{\"active\":true,\"sub\":\"user-9\",\"exp\":"
                        + NOW.plusSeconds(60).getEpochSecond() + "}");
        answers.put("tenant", activeJson(Map.of("tenant", "acme")));
        TestExchange ex = bearer("no-client");
        assertThat(run(policy(config()), ex)).isInstanceOf(Decision.Proceed.class);
        assertThat(ex.attribute(Attributes.CONSUMER_ID)).contains("user-9");
        assertThat(ex.attribute(Attributes.PRINCIPAL).orElseThrow().scopes()).isEmpty();

        Map<String, Object> config = config();
        config.put("consumer_claim", "tenant");
        TestExchange ex2 = bearer("tenant");
        assertThat(run(policy(config), ex2)).isInstanceOf(Decision.Proceed.class);
        assertThat(ex2.attribute(Attributes.CONSUMER_ID)).contains("acme");
    }

    @Test
    void refuses_an_active_answer_that_names_no_consumer() throws Exception {
        answers.put("anonymous", "{\"active\":true}");
        answers.put("odd-scope", activeJson(Map.of("scope", List.of("admin"))));
        IntrospectionPolicy p = policy(config());
        assertInvalidToken(run(p, bearer("anonymous")), IntrospectionErrors.TOKEN_CLAIMS_INVALID, "anonymous");
        assertInvalidToken(run(p, bearer("odd-scope")), IntrospectionErrors.TOKEN_CLAIMS_INVALID, "odd-scope");
        answers.put("far-exp", "{\"active\":true,\"sub\":\"u\",\"exp\":1e300}");
        answers.put("text-exp", activeJson(Map.of("exp", "tomorrow")));
        assertInvalidToken(run(p, bearer("far-exp")), IntrospectionErrors.TOKEN_CLAIMS_INVALID, "far-exp");
        assertInvalidToken(run(p, bearer("text-exp")), IntrospectionErrors.TOKEN_CLAIMS_INVALID, "text-exp");
    }

    @Test
    void reads_the_token_from_a_cookie_when_configured() throws Exception {
        Map<String, Object> config = config();
        config.put("token", Map.of("cookie", "session"));
        TestExchange ex = TestExchange.request("GET", "/").header("Cookie", "theme=dark; session=" + GOOD);
        assertThat(run(policy(config), ex)).isInstanceOf(Decision.Proceed.class);
    }

    // ---- refused tokens

    @Test
    void refuses_an_inactive_token() throws Exception {
        assertInvalidToken(run(policy(config()), bearer(REVOKED)), IntrospectionErrors.TOKEN_INACTIVE, REVOKED);
    }

    @Test
    void refuses_an_active_answer_whose_exp_has_passed() throws Exception {
        answers.put("stale", activeJson(Map.of("exp", NOW.minusSeconds(1).getEpochSecond())));
        assertInvalidToken(run(policy(config()), bearer("stale")), IntrospectionErrors.TOKEN_INACTIVE, "stale");
    }

    @Test
    void refuses_an_active_answer_not_yet_valid() throws Exception {
        answers.put("early", activeJson(Map.of("nbf", NOW.plusSeconds(60).getEpochSecond())));
        assertInvalidToken(run(policy(config()), bearer("early")), IntrospectionErrors.TOKEN_INACTIVE, "early");
    }

    @Test
    void checks_issuer_and_audience_when_configured() throws Exception {
        answers.put("other-iss", activeJson(Map.of("iss", "https://evil.example", "aud", "orders-api")));
        answers.put("other-aud", activeJson(Map.of("iss", "https://idp.example", "aud", List.of("billing"))));
        answers.put("right", activeJson(Map.of("iss", "https://idp.example", "aud", List.of("billing", "orders-api"))));
        Map<String, Object> config = config();
        config.put("issuer", "https://idp.example");
        config.put("audiences", List.of("orders-api"));
        IntrospectionPolicy p = policy(config);
        assertInvalidToken(run(p, bearer("other-iss")), IntrospectionErrors.TOKEN_ISSUER, "other-iss");
        assertInvalidToken(run(p, bearer("other-aud")), IntrospectionErrors.TOKEN_AUDIENCE, "other-aud");
        assertThat(run(p, bearer("right"))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void refuses_a_token_in_the_query_string_without_asking() throws Exception {
        Decision.Reject r = assertRejected(
                run(policy(config()), bearer(GOOD).query("access_token=" + GOOD)), AuthErrors.AUTH_TOKEN_IN_QUERY);
        assertThat(r.headers().get("WWW-Authenticate")).contains("error=\"invalid_request\"");
        assertThat(hits.get()).isZero();
    }

    @Test
    void answers_a_request_without_token_with_a_bare_challenge() throws Exception {
        Decision.Reject r =
                assertRejected(run(policy(config()), TestExchange.request("GET", "/")), AuthErrors.AUTH_MISSING);
        assertThat(r.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"bulwark\"");
        assertRejected(
                run(policy(config()), TestExchange.request("GET", "/").header("Authorization", "Basic Zm9vOmJhcg==")),
                AuthErrors.AUTH_MISSING);
        assertThat(hits.get()).isZero();
    }

    @Test
    void refuses_a_huge_token_without_asking() throws Exception {
        String huge = "a".repeat(IntrospectionPolicy.MAX_TOKEN_CHARS + 1);
        assertRejected(run(policy(config()), bearer(huge)), IntrospectionErrors.TOKEN_INACTIVE);
        assertThat(hits.get()).isZero();
    }

    // ---- the authorization server misbehaves: fail closed

    @Test
    void fails_closed_within_the_timeout_when_the_server_never_answers() throws Exception {
        hang = true;
        Map<String, Object> config = config();
        config.put("timeout", "300ms");
        long start = System.nanoTime();
        Decision d = run(policy(config), bearer(GOOD));
        long tookMillis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertUnavailable(d);
        assertThat(tookMillis).isBetween(250L, 2_000L);
    }

    @Test
    void fails_closed_when_the_server_is_down() throws Exception {
        Map<String, Object> config = config();
        config.put("endpoint", "http://127.0.0.1:1/introspect");
        assertUnavailable(run(policy(config), bearer(GOOD)));
    }

    @Test
    void fails_closed_on_a_server_error_and_does_not_remember_it() throws Exception {
        status = 500;
        fixedBody = "{\"active\":true,\"error\":\"boom\"}";
        IntrospectionPolicy p = policy(config());
        assertUnavailable(run(p, bearer(GOOD)));
        status = 200;
        fixedBody = null;
        assertThat(run(p, bearer(GOOD))).isInstanceOf(Decision.Proceed.class);
        assertThat(hits.get()).isEqualTo(2);
    }

    @Test
    void fails_closed_when_the_client_credentials_are_refused() throws Exception {
        expectedAuth = "client_secret_post";
        assertUnavailable(run(policy(config()), bearer(GOOD)));
        assertThat(authFailures.get()).isEqualTo(1);
    }

    @Test
    void fails_closed_on_unusable_answers() throws Exception {
        for (String body : List.of(
                "not json",
                "<html>boom</html>",
                "[true]",
                "{}",
                "{\"active\":\"true\"}",
                "{\"active\":1}",
                "{\"active\":null}",
                "[".repeat(50_000),
                "")) {
            fixedBody = body;
            Map<String, Object> config = config();
            config.put("max_response_bytes", "1MiB");
            assertUnavailable(run(policy(config), bearer(GOOD)));
        }
    }

    @Test
    void fails_closed_on_an_oversized_answer_declared_or_streamed() throws Exception {
        fixedBody = activeJson(Map.of("padding", "x".repeat(4096)));
        Map<String, Object> config = config();
        config.put("max_response_bytes", "2KiB");
        assertUnavailable(run(policy(config), bearer(GOOD)));
        chunked = true;
        assertUnavailable(run(policy(config), bearer(GOOD)));
    }

    // ---- client authentication

    @Test
    void authenticates_with_client_secret_basic_by_default() throws Exception {
        assertThat(run(policy(config()), bearer(GOOD))).isInstanceOf(Decision.Proceed.class);
        assertThat(forms.get(0)).doesNotContainKeys("client_id", "client_secret");
        assertThat(authFailures.get()).isZero();
    }

    @Test
    void authenticates_with_client_secret_post() throws Exception {
        expectedAuth = "client_secret_post";
        Map<String, Object> config = config();
        config.put("client_auth", "client_secret_post");
        assertThat(run(policy(config), bearer(GOOD))).isInstanceOf(Decision.Proceed.class);
        assertThat(heads.get(0)).doesNotContainKey("Authorization");
        assertThat(authFailures.get()).isZero();
    }

    // ---- cache

    @Test
    void caches_an_active_answer_but_never_past_exp() throws Exception {
        answers.put("short", activeJson(Map.of("exp", NOW.plusSeconds(30).getEpochSecond())));
        IntrospectionPolicy p = policy(config());
        assertThat(run(p, bearer("short"))).isInstanceOf(Decision.Proceed.class);
        TestExchange second = bearer("short");
        assertThat(TestExchange.decided(p.onRequest(second))).isInstanceOf(Decision.Proceed.class);
        assertThat(second.attribute(Attributes.CONSUMER_ID)).contains("app-1");
        assertThat(hits.get()).isEqualTo(1);

        clock.set(NOW.plusSeconds(30));
        answers.put("short", "{\"active\":false}");
        assertInvalidToken(run(p, bearer("short")), IntrospectionErrors.TOKEN_INACTIVE, "short");
        assertThat(hits.get()).isEqualTo(2);
    }

    @Test
    void asks_again_after_max_ttl_so_a_revocation_is_seen() throws Exception {
        Map<String, Object> config = config();
        config.put("cache", Map.of("max_ttl", "1m"));
        IntrospectionPolicy p = policy(config);
        assertThat(run(p, bearer(GOOD))).isInstanceOf(Decision.Proceed.class);
        clock.set(NOW.plusSeconds(59));
        assertThat(run(p, bearer(GOOD))).isInstanceOf(Decision.Proceed.class);
        assertThat(hits.get()).isEqualTo(1);
        answers.put(GOOD, "{\"active\":false}");
        clock.set(NOW.plusSeconds(61));
        assertRejected(run(p, bearer(GOOD)), IntrospectionErrors.TOKEN_INACTIVE);
        assertThat(hits.get()).isEqualTo(2);
    }

    @Test
    void caches_inactive_answers_briefly() throws Exception {
        IntrospectionPolicy p = policy(config());
        for (int i = 0; i < 5; i++) {
            assertRejected(run(p, bearer(REVOKED)), IntrospectionErrors.TOKEN_INACTIVE);
        }
        assertThat(hits.get()).isEqualTo(1);
        clock.set(NOW.plusSeconds(11));
        assertRejected(run(p, bearer(REVOKED)), IntrospectionErrors.TOKEN_INACTIVE);
        assertThat(hits.get()).isEqualTo(2);
    }

    @Test
    void caches_nothing_with_max_entries_zero() throws Exception {
        Map<String, Object> config = config();
        config.put("cache", Map.of("max_entries", 0));
        IntrospectionPolicy p = policy(config);
        run(p, bearer(GOOD));
        run(p, bearer(GOOD));
        assertThat(hits.get()).isEqualTo(2);
    }

    @Test
    void bounds_the_cache_by_max_entries() throws Exception {
        Map<String, Object> config = config();
        config.put("cache", Map.of("max_entries", 10));
        IntrospectionPolicy p = policy(config);
        for (int i = 0; i < 200; i++) {
            run(p, bearer("flood-" + i));
        }
        assertThat(hits.get()).isEqualTo(200);
        assertThat(p.cachedEntries()).isLessThanOrEqualTo(10);
    }

    // ---- flood control

    @Test
    void coalesces_concurrent_introspections_of_one_token() throws Exception {
        delayMillis = 300;
        IntrospectionPolicy p = policy(config());
        List<CompletableFuture<Decision>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(p.onRequest(bearer(GOOD)).toCompletableFuture());
        }
        for (CompletableFuture<Decision> f : all) {
            assertThat(await(f)).isInstanceOf(Decision.Proceed.class);
        }
        assertThat(hits.get()).isEqualTo(1);
        assertThat(p.calls.get()).isEqualTo(1);
    }

    @Test
    void answers_503_beyond_max_concurrent_calls() throws Exception {
        hang = true;
        Map<String, Object> config = config();
        config.put("max_concurrent", 2);
        config.put("timeout", "5s");
        IntrospectionPolicy p = policy(config);
        CompletableFuture<Decision> a = p.onRequest(bearer("t-a")).toCompletableFuture();
        CompletableFuture<Decision> b = p.onRequest(bearer("t-b")).toCompletableFuture();
        Decision.Reject r = assertRejected(
                TestExchange.decided(p.onRequest(bearer("t-c"))), IntrospectionErrors.INTROSPECTION_UNAVAILABLE);
        assertThat(r.headers()).containsEntry("Retry-After", "1");
        assertThat(p.calls.get()).isEqualTo(2);
        assertThat(a).isNotDone();
        assertThat(b).isNotDone();

        hang = false;
        release.countDown();
        assertThat(await(a)).isInstanceOf(Decision.Reject.class);
        assertThat(await(b)).isInstanceOf(Decision.Reject.class);
        // The permits came back.
        assertThat(run(p, bearer(GOOD))).isInstanceOf(Decision.Proceed.class);
    }

    // ---- environment segmentation

    @Test
    void refuses_a_staging_token_in_prod() throws Exception {
        answers.put("staging", activeJson(Map.of("env", "staging")));
        Decision d = run(policy(config(), "prod"), bearer("staging"));
        assertInvalidToken(d, AuthErrors.AUTH_ENVIRONMENT, "staging-token");
        Decision.Reject r = (Decision.Reject) d;
        assertThat(r.detail()).contains("'prod'").doesNotContain("staging");
        assertThat(r.headers().get("WWW-Authenticate"))
                .contains("error_description=\"token issued for another environment\"");
    }

    @Test
    void accepts_a_prod_token_or_a_prod_audience_in_prod() throws Exception {
        answers.put("prod", activeJson(Map.of("env", "prod")));
        answers.put("aud-prod", activeJson(Map.of("aud", List.of("orders-api", "prod"))));
        answers.put("aud-prod-env-staging", activeJson(Map.of("aud", "prod", "env", "staging")));
        IntrospectionPolicy p = policy(config(), "prod");
        assertThat(run(p, bearer("prod"))).isInstanceOf(Decision.Proceed.class);
        assertThat(run(p, bearer("aud-prod"))).isInstanceOf(Decision.Proceed.class);
        assertRejected(run(p, bearer("aud-prod-env-staging")), AuthErrors.AUTH_ENVIRONMENT);
        assertRejected(run(p, bearer(GOOD)), AuthErrors.AUTH_ENVIRONMENT);
    }

    @Test
    void reads_the_configured_environment_claim() throws Exception {
        answers.put("deployment", activeJson(Map.of("deployment", "prod", "env", "staging")));
        Map<String, Object> config = config();
        config.put("environment_claim", "deployment");
        assertThat(run(policy(config, "prod"), bearer("deployment"))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void checks_no_environment_when_none_is_configured() throws Exception {
        answers.put("staging", activeJson(Map.of("env", "staging")));
        IntrospectionPolicy p = policy(config(), null);
        assertThat(run(p, bearer("staging"))).isInstanceOf(Decision.Proceed.class);
        assertThat(run(p, bearer(GOOD))).isInstanceOf(Decision.Proceed.class);
    }

    // ---- config

    @Test
    void refuses_plain_http_to_a_host_that_is_not_loopback() {
        Map<String, Object> config = config();
        config.put("endpoint", "http://idp.example.com/introspect");
        assertThat(failure(config))
                .contains("test.yaml")
                .contains("endpoint")
                .contains("http to a host that is not loopback")
                .contains("expected: an https URL");
    }

    @Test
    void refuses_credentials_in_the_endpoint() {
        Map<String, Object> config = config();
        config.put("endpoint", "https://gateway:hunter2@idp.example.com/introspect");
        assertThat(failure(config))
                .contains("endpoint")
                .contains("credentials in the URL")
                .doesNotContain("hunter2");
    }

    @Test
    void refuses_an_unknown_client_auth() {
        Map<String, Object> config = config();
        config.put("client_auth", "private_key_jwt");
        assertThat(failure(config))
                .contains("client_auth")
                .contains("private_key_jwt")
                .contains("one of client_secret_basic, client_secret_post");
    }

    @Test
    void refuses_a_missing_client_id_or_secret() {
        Map<String, Object> config = config();
        config.remove("client_id");
        assertThat(failure(config)).contains("client_id").contains("required key 'client_id'");
        Map<String, Object> noSecret = config();
        noSecret.put("client_secret", "");
        assertThat(failure(noSecret)).contains("client_secret").contains("an empty value");
    }

    @Test
    void refuses_out_of_range_settings() {
        Map<String, Object> config = config();
        config.put("timeout", "31s");
        assertThat(failure(config)).contains("timeout").contains("31s");
        Map<String, Object> concurrent = config();
        concurrent.put("max_concurrent", 0);
        assertThat(failure(concurrent)).contains("max_concurrent");
        Map<String, Object> cache = config();
        cache.put("cache", Map.of("max_tll", "1m"));
        assertThat(failure(cache)).contains("cache.max_tll").contains("max_ttl");
        Map<String, Object> audiences = config();
        audiences.put("audiences", List.of());
        assertThat(failure(audiences)).contains("audiences");
    }

    @Test
    void never_prints_the_secret() throws Exception {
        Map<String, Object> config = config();
        config.put("unknown_key", 1);
        assertThat(failure(config)).contains("unknown_key");
        assertThat(policy(config()).toString()).doesNotContain(SECRET);
        IntrospectionConfig settings = new IntrospectionConfig(
                java.net.URI.create(endpoint),
                CLIENT_ID,
                SECRET,
                IntrospectionConfig.ClientAuth.CLIENT_SECRET_BASIC,
                io.bulwark.policies.auth.TokenSource.DEFAULT,
                Duration.ofSeconds(1),
                10,
                Duration.ofMinutes(1),
                Duration.ofSeconds(1),
                1,
                null,
                java.util.Set.of(),
                "client_id",
                new io.bulwark.policies.auth.EnvironmentCheck(null, "env"),
                4096);
        assertThat(settings.toString()).doesNotContain(SECRET).contains("***");
    }

    /** A clock that tests move by hand. */
    static final class MutableClock extends Clock {
        private volatile Instant now = NOW;

        void set(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
