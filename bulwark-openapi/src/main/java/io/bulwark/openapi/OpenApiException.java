package io.bulwark.openapi;

/** An OpenAPI document that cannot be used; the message names the file and the JSON pointer of the problem. */
public final class OpenApiException extends Exception {
    private static final long serialVersionUID = 1L;

    public OpenApiException(String message) {
        super(message);
    }

    public OpenApiException(String message, Throwable cause) {
        super(message, cause);
    }
}
