package io.bulwark.policies.requestsize;

import static io.bulwark.policies.TestExchange.decided;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.ErrorKeys;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.TestExchange;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RequestSizePolicyTest {
    private static final PolicyContext CONTEXT = new PolicyContext(Path.of("."), "r1");

    private static Policy requestSize(Map<String, ?> config) throws ConfigException {
        return new RequestSizePolicyFactory().create(ConfigNode.fromValue(config, "test"), CONTEXT);
    }

    private static TestExchange post(long contentLength) {
        return TestExchange.request("POST", "/upload").contentLength(contentLength);
    }

    private static void assertRejected(Decision decision, ErrorKey key, int status, String detail) {
        assertThat(decision).isInstanceOfSatisfying(Decision.Reject.class, r -> {
            assertThat(r.key()).isSameAs(key);
            assertThat(r.key().status()).isEqualTo(status);
            assertThat(r.detail()).isEqualTo(detail);
        });
    }

    @Test
    void rejects_a_declared_body_over_the_limit() throws ConfigException {
        Policy policy = requestSize(Map.of("max_body_bytes", "64KiB"));
        TestExchange ex = post(65_537);

        assertRejected(
                decided(policy.onRequest(ex)), ErrorKeys.BODY_TOO_LARGE, 413, "request body larger than 65536 bytes");
    }

    @Test
    void rejects_a_huge_declared_body() throws ConfigException {
        Policy policy = requestSize(Map.of("max_body_bytes", "1024GiB"));

        assertThat(decided(policy.onRequest(post(Long.MAX_VALUE)))).isInstanceOf(Decision.Reject.class);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 65_535, 65_536})
    void passes_a_declared_body_within_the_limit_and_publishes_the_limit(long length) throws ConfigException {
        Policy policy = requestSize(Map.of("max_body_bytes", "64KiB"));
        TestExchange ex = post(length);

        assertThat(decided(policy.onRequest(ex))).isSameAs(Decision.proceed());
        assertThat(ex.attribute(Attributes.MAX_REQUEST_BODY_BYTES)).contains(65_536L);
    }

    @Test
    void publishes_the_limit_for_a_body_of_unknown_length() throws ConfigException {
        Policy policy = requestSize(Map.of("max_body_bytes", "1MiB"));
        TestExchange ex = post(-1).header("Transfer-Encoding", "chunked");

        assertThat(decided(policy.onRequest(ex))).isSameAs(Decision.proceed());
        assertThat(ex.attribute(Attributes.MAX_REQUEST_BODY_BYTES)).contains(1_048_576L);
    }

    @Test
    void a_zero_limit_allows_only_empty_bodies() throws ConfigException {
        Policy policy = requestSize(Map.of("max_body_bytes", 0));
        TestExchange chunked = post(-1);

        assertThat(decided(policy.onRequest(post(0)))).isSameAs(Decision.proceed());
        assertRejected(
                decided(policy.onRequest(post(1))), ErrorKeys.BODY_TOO_LARGE, 413, "request body larger than 0 bytes");
        assertThat(decided(policy.onRequest(chunked))).isSameAs(Decision.proceed());
        assertThat(chunked.attribute(Attributes.MAX_REQUEST_BODY_BYTES)).contains(0L);
    }

    @Test
    void does_not_publish_a_body_limit_when_none_is_configured() throws ConfigException {
        Policy policy = requestSize(Map.of("max_headers", 50));
        TestExchange ex = post(10_000_000);

        assertThat(decided(policy.onRequest(ex))).isSameAs(Decision.proceed());
        assertThat(ex.attribute(Attributes.MAX_REQUEST_BODY_BYTES)).isEmpty();
    }

    @Test
    void passes_a_request_with_as_many_header_fields_as_allowed() throws ConfigException {
        Policy policy = requestSize(Map.of("max_headers", 3));
        TestExchange ex = TestExchange.request("GET", "/")
                .header("Host", "api.example.com")
                .header("Accept", "*/*")
                .header("Cookie", "a=1");

        assertThat(decided(policy.onRequest(ex))).isSameAs(Decision.proceed());
    }

    @Test
    void counts_every_value_of_a_repeated_header() throws ConfigException {
        Policy policy = requestSize(Map.of("max_headers", 3));
        TestExchange ex = TestExchange.request("GET", "/")
                .header("Host", "api.example.com")
                .header("X-Padding", "1")
                .header("x-padding", "2")
                .header("X-PADDING", "3");

        assertRejected(
                decided(policy.onRequest(ex)), RequestSizePolicy.TOO_MANY_HEADERS, 431, "more than 3 header fields");
        assertThat(RequestSizePolicy.TOO_MANY_HEADERS.key()).isEqualTo("TOO_MANY_HEADERS");
    }

    @Test
    void rejects_a_query_longer_than_the_limit() throws ConfigException {
        Policy policy = requestSize(Map.of("max_query_length", 10));
        TestExchange ex = TestExchange.request("GET", "/search").query("q=" + "x".repeat(9));

        assertRejected(
                decided(policy.onRequest(ex)),
                RequestSizePolicy.QUERY_TOO_LONG,
                414,
                "query string longer than 10 characters");
        assertThat(RequestSizePolicy.QUERY_TOO_LONG.key()).isEqualTo("QUERY_TOO_LONG");
    }

    @Test
    void passes_a_query_up_to_the_limit_and_a_request_without_query() throws ConfigException {
        Policy policy = requestSize(Map.of("max_query_length", 10));

        assertThat(decided(policy.onRequest(TestExchange.request("GET", "/").query("q=12345678"))))
                .isSameAs(Decision.proceed());
        assertThat(decided(policy.onRequest(TestExchange.request("GET", "/")))).isSameAs(Decision.proceed());
    }

    @Test
    void a_zero_query_limit_allows_only_an_empty_query() throws ConfigException {
        Policy policy = requestSize(Map.of("max_query_length", 0));

        assertThat(decided(policy.onRequest(TestExchange.request("GET", "/").query(""))))
                .isSameAs(Decision.proceed());
        assertThat(decided(policy.onRequest(TestExchange.request("GET", "/").query("a"))))
                .isInstanceOf(Decision.Reject.class);
    }

    @Test
    void rejection_details_do_not_echo_the_request() throws ConfigException {
        Policy policy = requestSize(Map.of("max_query_length", 4, "max_headers", 1));
        String secretQuery = "token=s3cr3t";

        Decision d = decided(policy.onRequest(TestExchange.request("GET", "/").query(secretQuery)));

        assertThat(((Decision.Reject) d).detail()).doesNotContain("s3cr3t");
    }

    @Test
    void checks_every_configured_limit() throws ConfigException {
        Policy policy = requestSize(Map.of("max_body_bytes", 100, "max_headers", 5, "max_query_length", 20));

        assertThat(decided(policy.onRequest(post(101).query("a=1").header("Host", "h"))))
                .isInstanceOfSatisfying(
                        Decision.Reject.class, r -> assertThat(r.key()).isSameAs(ErrorKeys.BODY_TOO_LARGE));
        assertThat(decided(policy.onRequest(post(1).query("a".repeat(21)))))
                .isInstanceOfSatisfying(
                        Decision.Reject.class, r -> assertThat(r.key()).isSameAs(RequestSizePolicy.QUERY_TOO_LONG));
        TestExchange ok = post(100).query("a".repeat(20)).header("Host", "h");
        assertThat(decided(policy.onRequest(ok))).isSameAs(Decision.proceed());
        assertThat(ok.attribute(Attributes.MAX_REQUEST_BODY_BYTES)).contains(100L);
    }
}
