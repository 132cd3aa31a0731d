package io.bulwark.demo;

import static java.util.Objects.requireNonNull;

/**
 * A request the API answers with an error: the status, a stable machine-readable code and a message safe to show
 * the client. Thrown by handlers and turned into {@code {"error": ..., "message": ...}} by the router's failure
 * handler.
 */
final class ApiException extends RuntimeException {

    private final int status;
    private final String error;

    ApiException(int status, String error, String message) {
        // Answers to bad input are routine: skip the stack trace.
        super(message, null, false, false);
        this.status = status;
        this.error = requireNonNull(error, "error");
    }

    static ApiException badRequest(String message) {
        return new ApiException(400, "invalid_request", message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, "not_found", message);
    }

    int status() {
        return status;
    }

    String error() {
        return error;
    }
}
