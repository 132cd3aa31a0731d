package io.bulwark.api;

import java.util.concurrent.CompletionStage;

/**
 * One step of a route's policy chain, built once at config load and shared by every request on that route: it
 * must be thread-safe and hold no per-request state in fields.
 *
 * <p>Policies run on the event loop. They must never block: no JDBC, no file I/O, no {@code Thread.sleep}, no
 * {@code future.get()}. Work that waits returns an incomplete stage and completes it later.
 *
 * <pre>{@code
 * // Good: answer synchronously when the work is cheap
 * public CompletionStage<Decision> onRequest(Exchange ex) {
 *     return ex.requestHeaders().contains("X-Api-Version") ? Decision.proceedStage()
 *             : Decision.reject(MISSING_VERSION, "header 'X-Api-Version' is required").asStage();
 * }
 * // Bad: blocks the event loop for every request on the node
 * public CompletionStage<Decision> onRequest(Exchange ex) {
 *     return Decision.reject(..., lookupInDatabase(ex).get()).asStage();
 * }
 * }</pre>
 *
 * <p>An exception thrown from a policy is treated as a bug: the client gets a 500 with the request id and the
 * exception is logged once.
 */
public interface Policy {
    /** The phase this policy runs in. */
    Phase phase();

    /** Called on the way in, before the upstream is called. */
    default CompletionStage<Decision> onRequest(Exchange exchange) {
        return Decision.proceedStage();
    }

    /**
     * Called on the way out for every response sent on this route, from the upstream or from the gateway (so that
     * CORS and security headers also reach rejections). Change {@link Exchange#response()} here; do not block.
     */
    default void onResponse(Exchange exchange) {}

    /**
     * Whether this policy must see the whole request body of this exchange; asked once the request chain has
     * accepted the request. Buffering costs memory and latency: answer true only when the exchange needs it (a JSON
     * body on an operation with body rules, for example). The gateway buffers at most the route's inspection limit
     * and answers 413 beyond it.
     */
    default boolean inspectsRequestBody(Exchange exchange) {
        return false;
    }

    /** Called with the buffered request body, in chain order, when {@link #inspectsRequestBody} said so. */
    default CompletionStage<Decision> onRequestBody(Exchange exchange, Body body) {
        return Decision.proceedStage();
    }

    /**
     * Whether this policy must see the whole response body; asked when the response head is known ({@link
     * Exchange#response()} is set). Over the route's inspection limit the gateway fails closed with 502.
     */
    default boolean inspectsResponseBody(Exchange exchange) {
        return false;
    }

    /**
     * Called with the buffered response body, in reverse chain order, before the response head is sent. A {@link
     * Decision.Reject} replaces the response with a problem document; {@link Body#replace} changes it.
     */
    default Decision onResponseBody(Exchange exchange, Body body) {
        return Decision.proceed();
    }
}
