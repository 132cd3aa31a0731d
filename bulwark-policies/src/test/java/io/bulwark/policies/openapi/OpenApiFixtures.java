package io.bulwark.policies.openapi;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.OperationMatch;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.demo.AcmeShopApi;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.OpenApiException;
import io.bulwark.openapi.OperationMatcher;
import io.bulwark.policies.TestBody;
import io.bulwark.policies.TestExchange;
import java.nio.file.Path;
import java.util.Map;

/** Policies built from small specs or the sample API's, and exchanges matched the way the gateway matches them. */
final class OpenApiFixtures {
    private OpenApiFixtures() {}

    static OpenApiDocument shop() {
        return parse(AcmeShopApi.openApiYaml());
    }

    static OpenApiDocument parse(String yaml) {
        try {
            return OpenApiDocument.parse("spec.yaml", yaml);
        } catch (OpenApiException e) {
            throw new AssertionError(e);
        }
    }

    static PolicyContext context(OpenApiDocument doc) {
        return new PolicyContext(
                Path.of("."),
                "r1",
                doc.operations(),
                null,
                Map.of(OpenApiDocument.class, doc, OperationMatcher.class, doc.matcher(doc.basePath())));
    }

    static Policy policy(OpenApiDocument doc, Map<String, Object> config) throws ConfigException {
        return new OpenApiPolicyFactory().create(ConfigNode.fromValue(config, "test.yaml"), context(doc));
    }

    static Policy policy(OpenApiDocument doc) throws ConfigException {
        return policy(doc, Map.of());
    }

    /** A request the gateway has matched against the document (OPERATION set when it matches). */
    static TestExchange request(OpenApiDocument doc, String method, String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        TestExchange ex = TestExchange.request(method, path);
        if (q >= 0) {
            ex.query(pathAndQuery.substring(q + 1));
        }
        OperationMatch match = doc.matcher(doc.basePath()).match(method, path);
        if (match != null) {
            ex.attribute(Attributes.OPERATION, match);
        }
        return ex;
    }

    /** A JSON request with its body, as the gateway hands it over. */
    static TestExchange jsonRequest(OpenApiDocument doc, String method, String path, int length) {
        return request(doc, method, path)
                .header("Content-Type", "application/json")
                .contentLength(length);
    }

    /** Runs the request and, when the policy asks for it and the head passed, the body. */
    static Decision run(Policy policy, TestExchange ex, String json) {
        Decision head = TestExchange.decided(policy.onRequest(ex));
        if (!(head instanceof Decision.Proceed)) {
            return head;
        }
        if (json == null) {
            return head;
        }
        assertThat(policy.inspectsRequestBody(ex)).as("inspects the body").isTrue();
        return TestExchange.decided(policy.onRequestBody(ex, TestBody.json(json)));
    }

    static Decision.Reject rejected(Decision d) {
        assertThat(d).isInstanceOf(Decision.Reject.class);
        return (Decision.Reject) d;
    }
}
