package io.bulwark.cli.inspect;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.OperationMatch;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.OpenApiException;
import io.bulwark.openapi.OperationMatcher;
import io.bulwark.policies.openapi.OpenApiPolicyFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Checks captured requests against an OpenAPI document with the real {@code openapi} policy (default settings),
 * offline: the operation is matched as the gateway matches it, then the request head and, when the policy asks for
 * it, the body are handed to the policy.
 */
public final class SpecCheck {
    private final OperationMatcher matcher;
    private final Policy policy;

    private SpecCheck(OperationMatcher matcher, Policy policy) {
        this.matcher = matcher;
        this.policy = policy;
    }

    /**
     * Loads the document and builds the policy.
     *
     * @throws OpenApiException when the file cannot be read or is no OpenAPI document
     * @throws ConfigException when the policy cannot compile the document
     */
    public static SpecCheck load(Path file) throws OpenApiException, ConfigException {
        OpenApiDocument doc = OpenApiDocument.load(file);
        OperationMatcher matcher = doc.matcher(doc.basePath());
        Path parent = file.toAbsolutePath().getParent();
        Path specDir = parent == null ? Path.of(".") : parent;
        Policy policy = new OpenApiPolicyFactory()
                .create(
                        ConfigNode.fromValue(Map.of(), "--spec"),
                        new PolicyContext(
                                specDir,
                                "inspect",
                                doc.operations(),
                                null,
                                Map.of(OpenApiDocument.class, doc, OperationMatcher.class, matcher)));
        return new SpecCheck(matcher, policy);
    }

    /** The policy's rejection of this request, or empty when it proceeds. */
    public Optional<Decision.Reject> check(CapturedRequest request) {
        OfflineExchange exchange = new OfflineExchange(request);
        OperationMatch match = matcher.match(request.method(), request.path());
        if (match != null) {
            exchange.attribute(Attributes.OPERATION, match);
        }
        Decision head = policy.onRequest(exchange).toCompletableFuture().join();
        if (head instanceof Decision.Reject reject) {
            return Optional.of(reject);
        }
        if (head instanceof Decision.Proceed && policy.inspectsRequestBody(exchange)) {
            Decision body = policy.onRequestBody(exchange, exchange.body())
                    .toCompletableFuture()
                    .join();
            if (body instanceof Decision.Reject reject) {
                return Optional.of(reject);
            }
        }
        return Optional.empty();
    }
}
