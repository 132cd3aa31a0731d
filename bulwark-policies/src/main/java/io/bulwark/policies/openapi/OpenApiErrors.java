package io.bulwark.policies.openapi;

import io.bulwark.api.AttributeKey;
import io.bulwark.api.ErrorKey;
import java.util.List;

/** The stable error keys of the {@code openapi} policy, and the attribute that lists a request's violations. */
public final class OpenApiErrors {
    /** The route has an OpenAPI document and no path template of it matches the request path. */
    public static final ErrorKey OAS_PATH_UNKNOWN =
            new ErrorKey("OAS_PATH_UNKNOWN", 404, "No operation of the API has this path");

    /** The path matches a template, but the template declares no operation for the method ({@code Allow} lists them). */
    public static final ErrorKey OAS_METHOD_NOT_ALLOWED =
            new ErrorKey("OAS_METHOD_NOT_ALLOWED", 405, "Method not allowed by the API description");

    /** A path, query, header or cookie parameter breaks its schema, style, or is repeated when it must not be. */
    public static final ErrorKey OAS_PARAMETER_INVALID =
            new ErrorKey("OAS_PARAMETER_INVALID", 400, "A request parameter is invalid");

    /** A required parameter is missing. */
    public static final ErrorKey OAS_PARAMETER_MISSING =
            new ErrorKey("OAS_PARAMETER_MISSING", 400, "A required request parameter is missing");

    /** The request body has a content type the operation does not declare (or the operation takes no body). */
    public static final ErrorKey OAS_CONTENT_TYPE =
            new ErrorKey("OAS_CONTENT_TYPE", 415, "Content type not accepted by this operation");

    /** The operation requires a request body and none was sent. */
    public static final ErrorKey OAS_BODY_MISSING =
            new ErrorKey("OAS_BODY_MISSING", 400, "The request body is missing");

    /** The JSON body is not one well-formed JSON value, or repeats a key in an object. */
    public static final ErrorKey OAS_BODY_MALFORMED =
            new ErrorKey("OAS_BODY_MALFORMED", 400, "The request body is not well-formed JSON");

    /** The JSON body is deeper, or has longer arrays, strings or objects, than the policy's limits allow. */
    public static final ErrorKey OAS_BODY_LIMIT =
            new ErrorKey("OAS_BODY_LIMIT", 400, "The request body exceeds a structural limit");

    /** The JSON body breaks its schema. */
    public static final ErrorKey OAS_BODY_INVALID =
            new ErrorKey("OAS_BODY_INVALID", 400, "The request body does not match its schema");

    /** The JSON body has a property its schema does not declare (the mass-assignment guard). */
    public static final ErrorKey OAS_BODY_UNKNOWN_PROPERTY =
            new ErrorKey("OAS_BODY_UNKNOWN_PROPERTY", 400, "The request body has an undeclared property");

    /** The JSON body sets a property its schema marks {@code readOnly}. */
    public static final ErrorKey OAS_BODY_READ_ONLY =
            new ErrorKey("OAS_BODY_READ_ONLY", 400, "The request body sets a read-only property");

    /**
     * An upstream response body the policy must filter is not one well-formed JSON value, is nested too deep, repeats
     * a key in an object, or is larger than {@code responses.max_response_bytes}: the policy fails closed.
     */
    public static final ErrorKey OAS_RESPONSE_INVALID =
            new ErrorKey("OAS_RESPONSE_INVALID", 502, "The upstream response could not be checked against the API");

    /**
     * The upstream answered with a status, or a content type, the operation does not declare ({@code replace} in
     * {@code responses.undeclared_status} or {@code undeclared_content_type}; with {@code log} it is only counted).
     */
    public static final ErrorKey OAS_RESPONSE_UNDECLARED =
            new ErrorKey("OAS_RESPONSE_UNDECLARED", 502, "The upstream response is not one the API declares");

    /**
     * The error keys of every violation the policy found in the exchange, in order: in {@code monitor} mode the
     * request goes through and this attribute is how the gateway, its access log and metrics see what would have
     * been refused. In {@code enforce} mode it holds the key of the rejection. Never holds values.
     */
    @SuppressWarnings("unchecked")
    public static final AttributeKey<List<String>> VIOLATIONS =
            AttributeKey.of("openapi.violations", (Class<List<String>>) (Class<?>) List.class);

    private OpenApiErrors() {}
}
