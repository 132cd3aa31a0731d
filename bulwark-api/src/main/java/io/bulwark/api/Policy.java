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
}
