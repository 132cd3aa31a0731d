package io.bulwark.policies.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.bulwark.api.Decision;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.TestExchange;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The shared bearer-token rules, as both the jwt and the introspection policies rely on them. */
class BearerTokensTest {
    private static Decision.Reject refusal(TestExchange ex, TokenSource source) {
        BearerTokens.Extraction e = BearerTokens.extract(ex, source);
        assertThat(e.token()).isNull();
        return (Decision.Reject) e.refusal();
    }

    @Test
    void reads_one_bearer_token_and_nothing_ambiguous() {
        assertThat(BearerTokens.extract(
                                TestExchange.request("GET", "/").header("Authorization", "bearer   abc"),
                                TokenSource.DEFAULT)
                        .token())
                .isEqualTo("abc");
        assertThat(BearerTokens.bearer(List.of("Bearer a", "Bearer b"))).isEqualTo(BearerTokens.TokenRead.INVALID);
        assertThat(BearerTokens.bearer(List.of("Bearer a b"))).isEqualTo(BearerTokens.TokenRead.INVALID);
        assertThat(BearerTokens.bearer(List.of("Basic abc"))).isEqualTo(BearerTokens.TokenRead.INVALID);
        assertThat(BearerTokens.cookie(List.of("s=a", "s=b"), "s")).isEqualTo(BearerTokens.TokenRead.INVALID);
        assertThat(BearerTokens.cookie(List.of("x=1; s=tok"), "s").token()).isEqualTo("tok");
    }

    @Test
    void refuses_the_query_string_even_percent_encoded() {
        for (String query : List.of("access_token=x", "a=1&access%5Ftoken=x", "access_token")) {
            Decision.Reject r = refusal(
                    TestExchange.request("GET", "/")
                            .header("Authorization", "Bearer ok")
                            .query(query),
                    TokenSource.DEFAULT);
            assertThat(r.key()).isSameAs(AuthErrors.AUTH_TOKEN_IN_QUERY);
            assertThat(r.headers().get("WWW-Authenticate")).contains("error=\"invalid_request\"");
        }
        assertThat(BearerTokens.hasQueryToken("token=x&access_tokens=y")).isFalse();
    }

    @Test
    void answers_no_credential_with_a_bare_challenge() {
        Decision.Reject r = refusal(TestExchange.request("GET", "/"), TokenSource.DEFAULT);
        assertThat(r.key()).isSameAs(AuthErrors.AUTH_MISSING);
        assertThat(r.headers()).containsEntry("WWW-Authenticate", "Bearer realm=\"bulwark\"");
    }

    @Test
    void hashes_tokens_to_hex_sha256() {
        assertThat(BearerTokens.sha256("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    @Test
    void parses_the_token_block() throws ConfigException {
        assertThat(BearerTokens.tokenSource(Optional.empty())).isEqualTo(TokenSource.DEFAULT);
        assertThat(BearerTokens.tokenSource(Optional.of(ConfigNode.fromValue(Map.of("cookie", "session"), "t.yaml"))))
                .isEqualTo(new TokenSource(TokenSource.Kind.COOKIE, "session"));
        assertThat(BearerTokens.tokenSource(
                        Optional.of(ConfigNode.fromValue(Map.of("header", "authorization"), "t.yaml"))))
                .isEqualTo(TokenSource.DEFAULT);
        Throwable both = catchThrowable(() -> BearerTokens.tokenSource(
                Optional.of(ConfigNode.fromValue(Map.of("header", "X-T", "cookie", "s"), "t.yaml"))));
        assertThat(both).isInstanceOf(ConfigException.class).hasMessageContaining("either {header: NAME}");
    }

    @Test
    void environment_rule() throws ConfigException {
        EnvironmentCheck prod = new EnvironmentCheck("prod", "env");
        assertThat(prod.accepts(Map.of("env", "prod"))).isTrue();
        assertThat(prod.accepts(Map.of("env", "staging", "aud", "prod"))).isFalse();
        assertThat(prod.accepts(Map.of("aud", "prod"))).isTrue();
        assertThat(prod.accepts(Map.of("aud", List.of("api", "prod")))).isTrue();
        assertThat(prod.accepts(Map.of("aud", List.of("api")))).isFalse();
        assertThat(prod.accepts(Map.of())).isFalse();
        assertThat(prod.accepts(Map.of("env", List.of("prod")))).isFalse();
        assertThat(new EnvironmentCheck(null, "env").accepts(Map.of("env", "staging")))
                .isTrue();
        assertThat(new EnvironmentCheck(null, "env").refusal()).isNull();
        Decision.Reject r = (Decision.Reject) prod.refusal();
        assertThat(r.key()).isSameAs(AuthErrors.AUTH_ENVIRONMENT);
        assertThat(r.key().status()).isEqualTo(401);
        assertThat(r.key().title()).isEqualTo("Token issued for another environment");

        PolicyContext context = new PolicyContext(Path.of("."), "r1", List.of(), "prod");
        EnvironmentCheck custom = EnvironmentCheck.fromConfig(
                ConfigNode.fromValue(Map.of("environment_claim", "stage"), "t.yaml")
                        .fields(),
                context);
        assertThat(custom.claim()).isEqualTo("stage");
    }

    @Test
    void remote_url_rule() {
        assertThat(RemoteUrls.remoteUri("https://idp.example.com/x")).hasHost("idp.example.com");
        assertThat(RemoteUrls.remoteUri("http://127.0.0.1:8080/x")).hasPort(8080);
        assertThat(RemoteUrls.remoteUri("http://[::1]/x")).hasPath("/x");
        for (String bad : List.of("http://idp.example.com/x", "https://u:p@idp/x", "ftp://idp/x", "/relative")) {
            assertThat(catchThrowable(() -> RemoteUrls.remoteUri(bad)))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
