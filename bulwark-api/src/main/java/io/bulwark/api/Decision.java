package io.bulwark.api;

import static java.util.Objects.requireNonNull;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What a policy decided about a request.
 *
 * <ul>
 *   <li>{@link Proceed}: hand the exchange to the next policy (and finally to the upstream).
 *   <li>{@link Reject}: stop here and answer with an RFC 9457 problem document for the error key.
 *   <li>{@link Respond}: stop here and answer with this status and headers, no body (a CORS preflight, a redirect).
 * </ul>
 *
 * <p>The {@code detail} of a rejection is shown to the client: it must be safe to show. Good: {@code "query
 * parameter 'limit': 500 (expected: <= 100)"}. Bad: anything that echoes a token, a key or a body.
 */
public sealed interface Decision permits Decision.Proceed, Decision.Reject, Decision.Respond {

    /** Continue with the next policy. */
    static Decision proceed() {
        return Proceed.INSTANCE;
    }

    /** A completed stage holding {@link #proceed()}; shared, allocation free. */
    static CompletionStage<Decision> proceedStage() {
        return Proceed.STAGE;
    }

    static Decision reject(ErrorKey key, String detail) {
        return new Reject(key, detail, Map.of());
    }

    static Decision reject(ErrorKey key, String detail, Map<String, String> headers) {
        return new Reject(key, detail, headers);
    }

    static Decision respond(int status, Map<String, String> headers) {
        return new Respond(status, headers);
    }

    /** Wraps a decision in a completed stage, for synchronous policies. */
    default CompletionStage<Decision> asStage() {
        return this instanceof Proceed ? Proceed.STAGE : CompletableFuture.completedFuture(this);
    }

    /** Continue with the next policy. */
    final class Proceed implements Decision {
        static final Proceed INSTANCE = new Proceed();
        static final CompletionStage<Decision> STAGE = CompletableFuture.completedStage(INSTANCE);

        private Proceed() {}

        @Override
        public String toString() {
            return "Proceed";
        }
    }

    /**
     * Refuse the request with a problem response.
     *
     * @param key the stable error key; its status is the response status
     * @param detail a safe, human-readable explanation (shown to the client)
     * @param headers extra response headers, such as {@code WWW-Authenticate} or {@code Retry-After}
     */
    record Reject(ErrorKey key, String detail, Map<String, String> headers) implements Decision {
        public Reject {
            requireNonNull(key, "key");
            requireNonNull(detail, "detail");
            headers = Map.copyOf(headers);
        }
    }

    /**
     * Answer directly, without calling the upstream.
     *
     * @param status an HTTP status, 100..599
     * @param headers the response headers
     */
    record Respond(int status, Map<String, String> headers) implements Decision {
        public Respond {
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status: " + status + " (expected: 100..599)");
            }
            headers = Map.copyOf(headers);
        }
    }
}
