package io.bulwark.api;

/** Error keys raised by the gateway itself (policies define their own beside their code). */
public final class ErrorKeys {
    public static final ErrorKey BAD_REQUEST = new ErrorKey("BAD_REQUEST", 400, "Malformed request");
    public static final ErrorKey ROUTE_NOT_FOUND = new ErrorKey("ROUTE_NOT_FOUND", 404, "No route for this request");
    public static final ErrorKey REQUEST_TIMEOUT =
            new ErrorKey("REQUEST_TIMEOUT", 408, "The request was not received in time");
    public static final ErrorKey BODY_TOO_LARGE = new ErrorKey("BODY_TOO_LARGE", 413, "Request body too large");
    public static final ErrorKey URI_TOO_LONG = new ErrorKey("URI_TOO_LONG", 414, "Request URI too long");
    public static final ErrorKey HEADERS_TOO_LARGE =
            new ErrorKey("HEADERS_TOO_LARGE", 431, "Request header fields too large");
    public static final ErrorKey INTERNAL_ERROR = new ErrorKey("INTERNAL_ERROR", 500, "Internal gateway error");
    public static final ErrorKey UPSTREAM_UNAVAILABLE =
            new ErrorKey("UPSTREAM_UNAVAILABLE", 502, "The upstream service could not be reached");
    public static final ErrorKey UPSTREAM_ERROR =
            new ErrorKey("UPSTREAM_ERROR", 502, "The upstream service failed to answer");
    public static final ErrorKey UPSTREAM_SERVER_ERROR =
            new ErrorKey("UPSTREAM_SERVER_ERROR", 500, "The upstream service reported an error");
    public static final ErrorKey UPSTREAM_TIMEOUT =
            new ErrorKey("UPSTREAM_TIMEOUT", 504, "The upstream service did not answer in time");
    public static final ErrorKey ADMIN_UNAUTHORIZED =
            new ErrorKey("ADMIN_UNAUTHORIZED", 401, "A valid admin token is required");
    public static final ErrorKey ADMIN_NOT_FOUND = new ErrorKey("ADMIN_NOT_FOUND", 404, "No such admin resource");
    public static final ErrorKey METHOD_NOT_ALLOWED =
            new ErrorKey("METHOD_NOT_ALLOWED", 405, "Method not allowed on this resource");
    public static final ErrorKey CONFIG_INVALID = new ErrorKey("CONFIG_INVALID", 422, "The configuration is invalid");

    /**
     * A policy must inspect the response body, but it is larger than {@code limits.max_inspected_body_bytes}: the
     * gateway fails closed rather than pass an unchecked body.
     */
    public static final ErrorKey RESPONSE_NOT_INSPECTABLE =
            new ErrorKey("RESPONSE_NOT_INSPECTABLE", 502, "The upstream response could not be inspected");

    private ErrorKeys() {}
}
