package io.bulwark.policies.openapi;

import com.networknt.schema.Error;
import com.networknt.schema.ExecutionConfig;
import io.bulwark.api.Attributes;
import io.bulwark.api.Body;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Exchange;
import io.bulwark.api.OperationMatch;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.ResponseHead;
import io.bulwark.openapi.OperationMatcher;
import io.bulwark.openapi.response.FilterResult;
import io.bulwark.openapi.response.ResponseCheck;
import io.bulwark.openapi.response.ResponseContract;
import io.bulwark.openapi.response.ResponseFilter;
import io.bulwark.openapi.response.Shape;
import io.bulwark.policies.openapi.OperationRules.Media;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

/**
 * {@code openapi}, request side: the request must be one the route's OpenAPI document describes (path, method,
 * parameters, content type, JSON body), or it is refused ({@code enforce}) or reported ({@code monitor}).
 *
 * <p>Every violation's error key is appended to {@link OpenApiErrors#VIOLATIONS}; in monitor mode each one is also
 * reported with {@link Exchange#monitor} (counted in {@code bulwark_monitored_total}), logged as one WARN line
 * (request id, operation id, key, safe detail), and the request goes through.
 *
 * <p>Response side: every upstream response of a matched operation is looked up in the compiled {@link
 * ResponseContract}. An undeclared status or content type is logged and reported ({@code log}) or answered with a
 * 502 ({@code replace}); a declared JSON body is filtered by its shape (undeclared and {@code writeOnly} properties
 * removed), and a body that cannot be filtered fails closed with a 502. In monitor mode nothing is changed or
 * rejected: what would have been is reported.
 */
final class OpenApiPolicy implements Policy {
    private static final System.Logger LOG = System.getLogger(OpenApiPolicy.class.getName());
    /** At most this many violations are reported for one request. */
    static final int MAX_VIOLATIONS = 10;

    private static final long MAX_EVALUATION_STEPS = 1_000_000;

    private final OpenApiConfig config;
    private final Map<String, OperationRules> operations;
    private final OperationMatcher matcher;
    private final JsonBodies bodies;
    /** readOnly properties in a request are errors (the validator's readOnly keyword asserts only when asked). */
    private final ExecutionConfig execution;

    private final ResponseSettings responses;

    OpenApiPolicy(
            OpenApiConfig config,
            Map<String, OperationRules> operations,
            OperationMatcher matcher,
            ResponseSettings responses) {
        this.config = config;
        this.responses = responses;
        this.operations = Map.copyOf(operations);
        this.matcher = matcher;
        this.bodies = new JsonBodies(config.limits());
        this.execution = ExecutionConfig.builder()
                .readOnly(true)
                .formatAssertionsEnabled(true)
                .maxEvaluationSteps(MAX_EVALUATION_STEPS)
                .build();
    }

    @Override
    public Phase phase() {
        return Phase.VALIDATE;
    }

    @Override
    public CompletionStage<Decision> onRequest(Exchange exchange) {
        OperationMatch match = exchange.attribute(Attributes.OPERATION).orElse(null);
        OperationRules rules =
                match == null ? null : operations.get(match.operation().id());
        if (rules == null) {
            Set<String> allowed = allowedMethods(exchange.path());
            Violation v = allowed.isEmpty()
                    ? new Violation(OpenApiErrors.OAS_PATH_UNKNOWN, "no operation of the API has this path")
                    : new Violation(
                            OpenApiErrors.OAS_METHOD_NOT_ALLOWED,
                            "the API declares " + String.join(", ", allowed) + " for this path",
                            Map.of("Allow", String.join(", ", allowed)));
            return decide(exchange, null, config.monitor(), List.of(v)).asStage();
        }
        List<Violation> found = new ArrayList<>(2);
        ParameterChecks.check(rules, exchange, match, config.limits().maxArrayItems(), found, MAX_VIOLATIONS);
        Violation head = bodyHead(rules, exchange);
        if (head != null && found.size() < MAX_VIOLATIONS) {
            found.add(head);
        }
        return found.isEmpty()
                ? Decision.proceedStage()
                : decide(exchange, rules.id(), rules.monitor(), found).asStage();
    }

    /**
     * The methods the document declares for the request's path, for {@code Allow}. The gateway matched {@code
     * upstream base path + path after strip_prefix}; a policy sees neither, so this tries the request path as is and
     * below the matcher's base path. On a route that strips a prefix or adds an upstream base path, a wrong method
     * may then be answered 404 {@code OAS_PATH_UNKNOWN} instead of 405.
     */
    private Set<String> allowedMethods(String path) {
        Set<String> methods = matcher.methodsFor(path);
        if (methods.isEmpty() && !matcher.basePath().isEmpty() && !path.startsWith(matcher.basePath() + "/")) {
            methods = matcher.methodsFor(matcher.basePath() + path);
        }
        if (methods.contains("GET") && !methods.contains("HEAD")) {
            methods = new TreeSet<>(methods);
            methods.add("HEAD"); // the matcher serves HEAD with the GET operation
        }
        return methods;
    }

    /**
     * Content type and presence of the body, known from the request head. A body is certain with a positive
     * {@code Content-Length} or {@code Transfer-Encoding}; without either (HTTP/2 may send neither) a
     * {@code Content-Type} makes it likely, and an empty buffered body is then caught by {@link #onRequestBody}.
     */
    private static Violation bodyHead(OperationRules rules, Exchange exchange) {
        long length = exchange.requestContentLength();
        String contentType = exchange.requestHeaders().get("Content-Type");
        boolean certain = length > 0 || exchange.requestHeaders().contains("Transfer-Encoding");
        boolean likely = certain || length < 0 && contentType != null;
        if (!rules.hasBody()) {
            return certain
                    ? new Violation(OpenApiErrors.OAS_CONTENT_TYPE, "this operation takes no request body")
                    : null;
        }
        if (!likely) {
            return rules.bodyRequired()
                    ? new Violation(OpenApiErrors.OAS_BODY_MISSING, "this operation requires a request body")
                    : null;
        }
        if (rules.mediaFor(contentType) == null) {
            List<String> declared = rules.media().stream().map(Media::range).toList();
            return new Violation(
                    OpenApiErrors.OAS_CONTENT_TYPE,
                    (contentType == null
                                    ? "no Content-Type"
                                    : "Content-Type '" + Texts.safe(OperationRules.mediaType(contentType)) + "'")
                            + " (expected: " + String.join(", ", declared) + ")");
        }
        return null;
    }

    @Override
    public boolean inspectsRequestBody(Exchange exchange) {
        return schemaFor(exchange, exchange.requestHeaders().get("Content-Type")) != null;
    }

    private Media schemaFor(Exchange exchange, String contentType) {
        OperationMatch match = exchange.attribute(Attributes.OPERATION).orElse(null);
        OperationRules rules =
                match == null ? null : operations.get(match.operation().id());
        if (rules == null) {
            return null;
        }
        Media media = rules.mediaFor(contentType);
        return media != null && media.schema() != null && OperationRules.isJson(OperationRules.mediaType(contentType))
                ? media
                : null;
    }

    @Override
    public CompletionStage<Decision> onRequestBody(Exchange exchange, Body body) {
        Media media = schemaFor(exchange, body.contentType());
        if (media == null) {
            return Decision.proceedStage();
        }
        OperationRules rules = operations.get(exchange.attribute(Attributes.OPERATION)
                .orElseThrow()
                .operation()
                .id());
        byte[] bytes = body.bytes();
        if (bytes == null || bytes.length == 0) {
            return rules.bodyRequired()
                    ? decide(
                                    exchange,
                                    rules.id(),
                                    rules.monitor(),
                                    List.of(new Violation(
                                            OpenApiErrors.OAS_BODY_MISSING, "this operation requires a request body")))
                            .asStage()
                    : Decision.proceedStage();
        }
        JsonBodies.Parsed parsed = bodies.parse(bytes);
        if (parsed.violation() != null) {
            return decide(exchange, rules.id(), rules.monitor(), List.of(parsed.violation()))
                    .asStage();
        }
        List<Violation> found = validate(media, parsed.tree());
        return found.isEmpty()
                ? Decision.proceedStage()
                : decide(exchange, rules.id(), rules.monitor(), found).asStage();
    }

    /** Schema errors, mapped to keys: undeclared properties, then read-only ones, then the rest. */
    List<Violation> validate(Media media, tools.jackson.databind.JsonNode tree) {
        List<Error> errors;
        try {
            errors = media.schema().validate(tree, ctx -> ctx.setExecutionConfig(execution));
        } catch (RuntimeException e) {
            // Over the evaluation step budget, or a value a format check cannot handle: fail closed.
            return List.of(new Violation(OpenApiErrors.OAS_BODY_INVALID, "request body: cannot be validated"));
        }
        if (errors.isEmpty()) {
            return List.of();
        }
        List<Violation> unknown = new ArrayList<>();
        List<Violation> readOnly = new ArrayList<>();
        List<Violation> invalid = new ArrayList<>();
        for (Error e : errors) {
            String keyword = e.getKeyword() == null ? "" : e.getKeyword();
            String at = e.getInstanceLocation() == null
                    ? ""
                    : e.getInstanceLocation().toString();
            switch (keyword) {
                case "additionalProperties", "unevaluatedProperties" -> {
                    String pointer = e.getProperty() == null
                            ? at
                            : at + "/" + e.getProperty().replace("~", "~0").replace("/", "~1");
                    if (unknown.size() < MAX_VIOLATIONS) {
                        unknown.add(new Violation(
                                OpenApiErrors.OAS_BODY_UNKNOWN_PROPERTY,
                                "request body: " + JsonBodies.show(pointer)
                                        + ": a property the schema does not declare"));
                    }
                }
                case "readOnly" -> {
                    if (readOnly.size() < MAX_VIOLATIONS) {
                        readOnly.add(new Violation(
                                OpenApiErrors.OAS_BODY_READ_ONLY,
                                "request body: " + JsonBodies.show(at) + ": read-only, not accepted in requests"));
                    }
                }
                default -> {
                    if (invalid.size() < MAX_VIOLATIONS) {
                        invalid.add(new Violation(
                                OpenApiErrors.OAS_BODY_INVALID,
                                "request body: " + JsonBodies.show(at) + ": breaks '" + Texts.safe(keyword) + "'"
                                        + Constraints.describe(e)));
                    }
                }
            }
        }
        List<Violation> out = new ArrayList<>(unknown);
        out.addAll(readOnly);
        out.addAll(invalid);
        return out.size() > MAX_VIOLATIONS ? out.subList(0, MAX_VIOLATIONS) : out;
    }

    /**
     * Records the violations; rejects with the first (its detail joined with the others of the same key) unless the
     * operation is monitored.
     */
    private static Decision decide(Exchange exchange, String operationId, boolean monitor, List<Violation> found) {
        List<String> keys =
                new ArrayList<>(exchange.attribute(OpenApiErrors.VIOLATIONS).orElse(List.of()));
        for (Violation v : found) {
            keys.add(v.key().key());
        }
        exchange.attribute(OpenApiErrors.VIOLATIONS, List.copyOf(keys));
        if (monitor) {
            for (Violation v : found) {
                exchange.monitor(v.key());
                LOG.log(
                        System.Logger.Level.WARNING,
                        "openapi monitor: request {0} operation {1}: {2}: {3}",
                        exchange.requestId(),
                        operationId == null ? "-" : operationId,
                        v.key().key(),
                        v.detail());
            }
            return Decision.proceed();
        }
        Violation first = found.get(0);
        StringBuilder detail = new StringBuilder(first.detail());
        for (int i = 1; i < found.size(); i++) {
            if (found.get(i).key().equals(first.key())) {
                detail.append("; ").append(found.get(i).detail());
            }
        }
        return Decision.reject(first.key(), detail.toString(), first.headers());
    }

    // ---- response side

    /** What the contract says about the exchange's response, with the operation; null when the policy has no say. */
    private record Looked(OperationRules rules, ResponseCheck check, boolean bodied) {}

    /**
     * The contract's verdict on the response: null for a response the gateway made itself, an exchange without an
     * operation, and a 1xx status.
     */
    private Looked look(Exchange exchange) {
        ResponseHead head = exchange.response();
        if (head == null || head.errorKey() != null || head.status() < 200 || head.status() > 599) {
            return null;
        }
        OperationMatch match = exchange.attribute(Attributes.OPERATION).orElse(null);
        OperationRules rules =
                match == null ? null : operations.get(match.operation().id());
        if (rules == null) {
            return null;
        }
        int status = head.status();
        boolean bodied = !"HEAD".equals(exchange.method()) && status != 204 && status != 304;
        String contentType = bodied ? head.headers().get("Content-Type") : null;
        return new Looked(rules, responses.contract().lookup(rules.id(), status, contentType), bodied);
    }

    /** Whether an undeclared response is answered with a 502 (in enforce mode, and when it can be replaced). */
    private boolean replaces(Looked l) {
        if (l.rules().monitor() || !l.bodied()) {
            return false;
        }
        return switch (l.check().verdict()) {
            case UNDECLARED_STATUS -> responses.replaceUndeclaredStatus();
            case UNDECLARED_CONTENT_TYPE -> responses.replaceUndeclaredContentType();
            case DECLARED -> false;
        };
    }

    /**
     * Reports an undeclared response that goes through: with {@code log}, in monitor mode, and for a response
     * without a body (HEAD, 204, 304), which a response policy cannot replace.
     */
    @Override
    public void onResponse(Exchange exchange) {
        Looked l = look(exchange);
        if (l == null || l.check().declared() || replaces(l)) {
            return;
        }
        exchange.monitor(OpenApiErrors.OAS_RESPONSE_UNDECLARED);
        LOG.log(
                System.Logger.Level.WARNING,
                "openapi: request {0} operation {1}: {2}: {3}",
                exchange.requestId(),
                l.rules().id(),
                OpenApiErrors.OAS_RESPONSE_UNDECLARED.key(),
                undeclared(exchange, l));
    }

    private static String undeclared(Exchange exchange, Looked l) {
        ResponseHead head = exchange.response();
        if (l.check().verdict() == ResponseCheck.Verdict.UNDECLARED_STATUS) {
            return "status " + head.status() + " is not declared";
        }
        String type = head.headers().get("Content-Type");
        return "status " + head.status() + " (declared as '"
                + l.check().declaredStatus().orElse("?") + "') with "
                + (type == null
                        ? "no Content-Type"
                        : "Content-Type '" + Texts.safe(OperationRules.mediaType(type)) + "'")
                + " is not declared";
    }

    @Override
    public boolean inspectsResponseBody(Exchange exchange) {
        Looked l = look(exchange);
        if (l == null || !l.bodied()) {
            return false;
        }
        return replaces(l) || l.check().shape().isPresent();
    }

    @Override
    public Decision onResponseBody(Exchange exchange, Body body) {
        Looked l = look(exchange);
        if (l == null) {
            return Decision.proceed();
        }
        if (replaces(l)) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "openapi: request {0} operation {1}: {2}: {3}, replaced",
                    exchange.requestId(),
                    l.rules().id(),
                    OpenApiErrors.OAS_RESPONSE_UNDECLARED.key(),
                    undeclared(exchange, l));
            return Decision.reject(
                    OpenApiErrors.OAS_RESPONSE_UNDECLARED, "the upstream response is not one the API declares");
        }
        Shape shape = l.check().shape().orElse(null);
        if (shape == null) {
            return Decision.proceed();
        }
        boolean monitor = l.rules().monitor();
        FilterResult r = ResponseFilter.filter(shape, body.bytes(), responses.limits());
        if (!r.valid()) {
            ErrorKey key = OpenApiErrors.OAS_RESPONSE_INVALID;
            LOG.log(
                    System.Logger.Level.WARNING,
                    "openapi{0}: request {1} operation {2}: {3}: response body {4}: {5}",
                    monitor ? " monitor" : "",
                    exchange.requestId(),
                    l.rules().id(),
                    key.key(),
                    r.problem().map(Enum::name).orElse("?"),
                    r.detail());
            if (monitor) {
                exchange.monitor(key);
                return Decision.proceed();
            }
            return Decision.reject(key, "the upstream response could not be checked against the API");
        }
        if (r.changed()) {
            if (!monitor) {
                body.replace(r.body());
            }
            LOG.log(
                    System.Logger.Level.INFO,
                    "openapi: request {0} operation {1}: {2} {3} response propert{4}: {5}{6}",
                    exchange.requestId(),
                    l.rules().id(),
                    monitor ? "would remove (monitor)" : "removed",
                    r.removedCount(),
                    r.removedCount() == 1 ? "y" : "ies",
                    String.join(", ", r.removed()),
                    r.removedCount() > r.removed().size() ? ", ..." : "");
        }
        return Decision.proceed();
    }
}
