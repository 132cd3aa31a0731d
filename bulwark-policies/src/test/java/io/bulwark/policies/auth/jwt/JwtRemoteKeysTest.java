package io.bulwark.policies.auth.jwt;

import static io.bulwark.policies.TestExchange.decided;
import static io.bulwark.policies.auth.jwt.JwtFixtures.NOW;
import static io.bulwark.policies.auth.jwt.JwtFixtures.RSA;
import static io.bulwark.policies.auth.jwt.JwtFixtures.baseConfig;
import static io.bulwark.policies.auth.jwt.JwtFixtures.claims;
import static io.bulwark.policies.auth.jwt.JwtFixtures.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Policy;
import io.bulwark.api.config.ConfigException;
import io.bulwark.policies.TestExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Remote keys against a real in-process HTTP server. */
class JwtRemoteKeysTest {
    static final ECKey K1 = ec("remote-1");
    static final ECKey K2 = ec("remote-2");

    @TempDir
    Path dir;

    private final JwtFixtures.MutableClock clock = new JwtFixtures.MutableClock();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-jwks-refresh");
        t.setDaemon(true);
        return t;
    });
    private final ExecutorService serverThreads = Executors.newCachedThreadPool();
    private HttpServer server;
    private String base;

    private final AtomicInteger jwksHits = new AtomicInteger();
    private final AtomicInteger discoveryHits = new AtomicInteger();
    private volatile String jwks = "{\"keys\":[]}";
    private volatile String discovery = "{}";
    private volatile int status = 200;
    private volatile long delayMillis;
    private volatile boolean chunked;

    @BeforeEach
    void setUp() throws IOException {
        JwtFixtures.writeKeyFiles(dir);
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(serverThreads);
        server.createContext("/jwks.json", ex -> serve(ex, jwksHits, jwks));
        server.createContext("/.well-known/openid-configuration", ex -> serve(ex, discoveryHits, discovery));
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterEach
    void tearDown() {
        server.stop(0);
        serverThreads.shutdownNow();
        scheduler.shutdownNow();
    }

    private void serve(HttpExchange ex, AtomicInteger hits, String body) throws IOException {
        hits.incrementAndGet();
        try (ex) {
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(status, chunked ? 0 : bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            // The client went away (timeout, size limit): expected in some tests.
        }
    }

    private static ECKey ec(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String jwksOf(ECKey... keys) {
        List<String> parts = new ArrayList<>();
        for (ECKey k : keys) {
            parts.add(k.toPublicJWK().toJSONString());
        }
        return "{\"keys\":[" + String.join(",", parts) + "]}";
    }

    private Map<String, Object> remoteConfig() {
        Map<String, Object> config = baseConfig();
        config.remove("jwks_file");
        config.remove("public_keys");
        config.put("jwks_url", base + "/jwks.json");
        // Background refreshes stay out of the way; tests refresh by hand.
        config.put("jwks_refresh", "1h");
        config.put("jwks_min_refetch", "10s");
        return config;
    }

    private JwtPolicy create(Map<String, Object> config) throws Exception {
        JwtPolicy policy = (JwtPolicy) new JwtPolicyFactory(clock, scheduler)
                .create(
                        io.bulwark.api.config.ConfigNode.fromValue(config, "test.yaml"),
                        new io.bulwark.api.PolicyContext(dir, "r1"));
        policy.remote().pending().get(5, TimeUnit.SECONDS);
        return policy;
    }

    private String failure(Map<String, Object> config) {
        Throwable t = catchThrowable(() -> new JwtPolicyFactory(clock, scheduler)
                .create(
                        io.bulwark.api.config.ConfigNode.fromValue(config, "test.yaml"),
                        new io.bulwark.api.PolicyContext(dir, "r1")));
        assertThat(t).isInstanceOf(ConfigException.class);
        return t.getMessage();
    }

    private static CompletionStage<Decision> request(Policy policy, String token) {
        return policy.onRequest(TestExchange.request("GET", "/").header("Authorization", "Bearer " + token));
    }

    private static Decision await(CompletionStage<Decision> stage) throws Exception {
        return stage.toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private static String token(ECKey key) {
        return sign(JWSAlgorithm.ES256, key, key.getKeyID(), claims().build());
    }

    private static void assertRejected(Decision d, ErrorKey key) {
        assertThat(d).isInstanceOf(Decision.Reject.class);
        assertThat(((Decision.Reject) d).key()).isEqualTo(key);
    }

    private static void assertUnavailable(Decision d) {
        assertRejected(d, JwtErrors.JWKS_UNAVAILABLE);
        assertThat(((Decision.Reject) d).key().status()).isEqualTo(503);
        assertThat(((Decision.Reject) d).headers()).containsEntry("Retry-After", "5");
    }

    @Test
    void verifies_tokens_with_keys_from_the_url() throws Exception {
        jwks = jwksOf(K1);
        JwtPolicy policy = create(remoteConfig());
        assertThat(decided(request(policy, token(K1)))).isInstanceOf(Decision.Proceed.class);
        assertRejected(decided(request(policy, token(K2))), JwtErrors.JWT_KEY_UNKNOWN);
        assertThat(jwksHits.get()).isEqualTo(1);
    }

    @Test
    void combines_local_and_remote_keys() throws Exception {
        jwks = jwksOf(K1);
        Map<String, Object> config = remoteConfig();
        config.put("jwks_file", "jwks.json");
        JwtPolicy policy = create(config);
        assertThat(decided(request(policy, token(K1)))).isInstanceOf(Decision.Proceed.class);
        String local = sign(JWSAlgorithm.RS256, RSA, RSA.getKeyID(), claims().build());
        assertThat(decided(request(policy, local))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void local_keys_keep_working_while_the_remote_source_is_down() throws Exception {
        status = 500;
        Map<String, Object> config = remoteConfig();
        config.put("jwks_file", "jwks.json");
        JwtPolicy policy = create(config);
        String local = sign(JWSAlgorithm.RS256, RSA, RSA.getKeyID(), claims().build());
        assertThat(decided(request(policy, local))).isInstanceOf(Decision.Proceed.class);
        assertUnavailable(decided(request(policy, token(K1))));
    }

    @Test
    void finds_the_jwks_by_discovery() throws Exception {
        jwks = jwksOf(K1);
        discovery = "{\"issuer\":\"" + base + "\",\"jwks_uri\":\"" + base + "/jwks.json\"}";
        Map<String, Object> config = remoteConfig();
        config.remove("jwks_url");
        config.put("discovery", true);
        config.put("issuer", base);
        JwtPolicy policy = create(config);
        String t =
                sign(JWSAlgorithm.ES256, K1, "remote-1", claims().issuer(base).build());
        assertThat(decided(request(policy, t))).isInstanceOf(Decision.Proceed.class);
        assertThat(discoveryHits.get()).isEqualTo(1);
        assertThat(jwksHits.get()).isEqualTo(1);
    }

    @Test
    void a_discovery_document_for_another_issuer_yields_no_keys() throws Exception {
        jwks = jwksOf(K1);
        discovery = "{\"issuer\":\"" + base + "/other\",\"jwks_uri\":\"" + base + "/jwks.json\"}";
        Map<String, Object> config = remoteConfig();
        config.remove("jwks_url");
        config.put("discovery", true);
        config.put("issuer", base);
        JwtPolicy policy = create(config);
        String t =
                sign(JWSAlgorithm.ES256, K1, "remote-1", claims().issuer(base).build());
        assertUnavailable(decided(request(policy, t)));
        assertThat(discoveryHits.get()).isEqualTo(1);
        assertThat(jwksHits.get()).isZero();
    }

    @Test
    void an_unknown_kid_triggers_one_refetch_and_picks_up_a_rotated_key() throws Exception {
        jwks = jwksOf(K1);
        JwtPolicy policy = create(remoteConfig());
        // Within min_refetch of the first fetch: answered at once, no refetch.
        assertRejected(decided(request(policy, token(K2))), JwtErrors.JWT_KEY_UNKNOWN);
        assertThat(jwksHits.get()).isEqualTo(1);

        jwks = jwksOf(K1, K2);
        clock.set(NOW.plusSeconds(11));
        assertThat(await(request(policy, token(K2)))).isInstanceOf(Decision.Proceed.class);
        assertThat(jwksHits.get()).isEqualTo(2);
        // Known now: synchronous again, no further fetch.
        assertThat(decided(request(policy, token(K2)))).isInstanceOf(Decision.Proceed.class);
        assertThat(jwksHits.get()).isEqualTo(2);
    }

    @Test
    void a_flood_of_random_kids_costs_at_most_one_refetch() throws Exception {
        jwks = jwksOf(K1);
        JwtPolicy policy = create(remoteConfig());
        clock.set(NOW.plusSeconds(11));
        List<CompletableFuture<Decision>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            String t = sign(JWSAlgorithm.ES256, K2, UUID.randomUUID().toString(), claims().build());
            answers.add(request(policy, t).toCompletableFuture());
        }
        for (CompletableFuture<Decision> a : answers) {
            assertRejected(await(a), JwtErrors.JWT_KEY_UNKNOWN);
        }
        assertThat(jwksHits.get()).isLessThanOrEqualTo(2);
    }

    @Test
    void cached_keys_keep_working_when_the_endpoint_goes_down() throws Exception {
        jwks = jwksOf(K1);
        JwtPolicy policy = create(remoteConfig());
        status = 500;
        policy.remote().refresh().get(5, TimeUnit.SECONDS);
        assertThat(jwksHits.get()).isEqualTo(2);
        assertThat(decided(request(policy, token(K1)))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void fails_closed_when_the_endpoint_is_down_from_the_start() throws Exception {
        status = 500;
        JwtPolicy policy = create(remoteConfig());
        assertUnavailable(decided(request(policy, token(K1))));
        // After min_refetch a request retries the fetch, and still fails closed.
        clock.set(NOW.plusSeconds(11));
        assertUnavailable(await(request(policy, token(K1))));
        assertThat(jwksHits.get()).isEqualTo(2);
        // The endpoint comes back: the next allowed refetch lets tokens through.
        status = 200;
        jwks = jwksOf(K1);
        clock.set(NOW.plusSeconds(22));
        assertThat(await(request(policy, token(K1)))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void the_config_loads_when_the_identity_provider_is_unreachable() throws Exception {
        Map<String, Object> config = remoteConfig();
        config.put("jwks_url", "http://127.0.0.1:1/jwks.json");
        JwtPolicy policy = create(config);
        assertUnavailable(decided(request(policy, token(K1))));
    }

    @Test
    void an_oversized_jwks_is_refused_and_the_keys_are_kept() throws Exception {
        jwks = jwksOf(K1);
        Map<String, Object> config = remoteConfig();
        config.put("jwks_max_bytes", "2KiB");
        JwtPolicy policy = create(config);
        String padded = jwksOf(K2).replace("{\"keys\"", "{\"padding\":\"" + "x".repeat(4096) + "\",\"keys\"");
        for (boolean streamed : List.of(false, true)) {
            chunked = streamed;
            jwks = padded;
            policy.remote().refresh().get(5, TimeUnit.SECONDS);
            assertThat(decided(request(policy, token(K1)))).isInstanceOf(Decision.Proceed.class);
            assertRejected(decided(request(policy, token(K2))), JwtErrors.JWT_KEY_UNKNOWN);
        }
        assertThat(jwksHits.get()).isEqualTo(3);
        // The same document within the default limit is accepted: the size was the reason.
        JwtPolicy roomy = create(remoteConfig());
        assertThat(decided(request(roomy, token(K2)))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void a_slow_endpoint_counts_as_a_failure() throws Exception {
        jwks = jwksOf(K1);
        delayMillis = 3000;
        Map<String, Object> config = remoteConfig();
        config.put("jwks_timeout", "300ms");
        long start = System.nanoTime();
        JwtPolicy policy = create(config);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2500);
        assertUnavailable(decided(request(policy, token(K1))));
    }

    @Test
    void a_removed_key_is_refused_after_the_refresh_that_drops_it() throws Exception {
        jwks = jwksOf(K1, K2);
        JwtPolicy policy = create(remoteConfig());
        assertThat(decided(request(policy, token(K2)))).isInstanceOf(Decision.Proceed.class);
        jwks = jwksOf(K1);
        policy.remote().refresh().get(5, TimeUnit.SECONDS);
        // The verified-token cache must not keep the removed key alive.
        assertRejected(decided(request(policy, token(K2))), JwtErrors.JWT_KEY_UNKNOWN);
        assertThat(decided(request(policy, token(K1)))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void refreshes_in_the_background() throws Exception {
        jwks = jwksOf(K1);
        Map<String, Object> config = remoteConfig();
        config.put("jwks_refresh", "1s");
        config.put("jwks_min_refetch", "1s");
        JwtPolicy policy = create(config);
        jwks = jwksOf(K2);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (jwksHits.get() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        policy.remote().pending().get(5, TimeUnit.SECONDS);
        assertThat(jwksHits.get()).isGreaterThanOrEqualTo(2);
        assertThat(decided(request(policy, token(K2)))).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void refuses_unsafe_or_invalid_remote_settings() {
        Map<String, String> bad = Map.of(
                "http://idp.example.com/jwks.json", "loopback",
                "not a url", "not a URL",
                "/jwks.json", "absolute",
                "https://user:pw@idp.example.com/jwks.json", "credentials",
                "ftp://idp.example.com/jwks.json", "scheme");
        bad.forEach((url, message) -> {
            Map<String, Object> config = remoteConfig();
            config.put("jwks_url", url);
            assertThat(failure(config)).contains("jwks_url").contains(message);
        });
        for (String value : List.of("0s", "500ms", "2h")) {
            Map<String, Object> config = remoteConfig();
            config.put("jwks_min_refetch", value);
            assertThat(failure(config)).contains("jwks_min_refetch");
        }
        Map<String, Object> slowerThanRefresh = remoteConfig();
        slowerThanRefresh.put("jwks_refresh", "5s");
        assertThat(failure(slowerThanRefresh)).contains("jwks_min_refetch").contains("at most jwks_refresh");

        Map<String, Object> httpIssuer = remoteConfig();
        httpIssuer.remove("jwks_url");
        httpIssuer.put("discovery", true);
        httpIssuer.put("issuer", "http://issuer.example.com");
        assertThat(failure(httpIssuer)).contains("issuer").contains("loopback");

        Map<String, Object> both = remoteConfig();
        both.put("discovery", true);
        assertThat(failure(both)).contains("jwks_url").contains("discovery");

        Map<String, Object> orphan = baseConfig();
        orphan.put("jwks_refresh", "1m");
        assertThat(failure(orphan)).contains("jwks_url");

        Map<String, Object> tooSmall = remoteConfig();
        tooSmall.put("jwks_max_bytes", "10");
        assertThat(failure(tooSmall)).contains("jwks_max_bytes");
    }
}
