package io.bulwark.policies.auth.apikey;

import io.bulwark.api.ErrorKey;
import io.bulwark.policies.auth.AuthErrors;

/** The stable error keys of the {@code api-key} policy; every one answers 401. */
public final class ApiKeyErrors {
    /** No API key header: the same key (and title) as the {@code jwt} policy's. */
    public static final ErrorKey AUTH_MISSING = AuthErrors.AUTH_MISSING;

    /**
     * The query string has a parameter that looks like an API key ({@code api_key}, {@code apikey}, {@code api-key},
     * {@code key} or the configured header name): refused even when the key is valid, since the query string leaks
     * into logs, history and {@code Referer}.
     */
    public static final ErrorKey APIKEY_IN_QUERY =
            new ErrorKey("APIKEY_IN_QUERY", 401, "API key not accepted in the query string");

    /** The key is unknown, too long, empty, or the header was sent more than once. */
    public static final ErrorKey APIKEY_INVALID = new ErrorKey("APIKEY_INVALID", 401, "Invalid API key");

    private ApiKeyErrors() {}
}
