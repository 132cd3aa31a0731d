package io.bulwark.gateway.chain;

import io.bulwark.api.Body;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKeys;
import io.bulwark.api.Exchange;
import io.bulwark.api.Policy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A route's policies in execution order, built once at config load. Requests run through them by phase (stable
 * within a phase, so config order breaks ties); responses run back through them in reverse.
 *
 * <p>Synchronous decisions are followed in a loop on the calling thread without any allocation for
 * {@link Decision#proceed()}; an asynchronous decision resumes the chain on {@code resume} (the exchange's event
 * loop), so policies always run on the exchange's thread.
 */
public final class PolicyChain {
    private static final Logger LOG = LoggerFactory.getLogger(PolicyChain.class);
    private static final PolicyChain EMPTY = new PolicyChain(List.of());

    private final Policy[] requestOrder;
    private final Policy[] responseOrder;

    private PolicyChain(List<Policy> policies) {
        List<Policy> sorted = new ArrayList<>(policies);
        sorted.sort(Comparator.comparingInt(p -> p.phase().ordinal()));
        this.requestOrder = sorted.toArray(Policy[]::new);
        List<Policy> reversed = new ArrayList<>(sorted);
        java.util.Collections.reverse(reversed);
        this.responseOrder = reversed.toArray(Policy[]::new);
    }

    public static PolicyChain of(List<Policy> policies) {
        return policies.isEmpty() ? EMPTY : new PolicyChain(policies);
    }

    /** The policies in request order. */
    public List<Policy> policies() {
        return List.of(requestOrder);
    }

    public boolean isEmpty() {
        return requestOrder.length == 0;
    }

    /**
     * Runs the request side of the chain.
     *
     * @param resume where an asynchronous decision continues (the exchange's event loop)
     * @param done receives {@link Decision#proceed()} when every policy let the request through, or the first
     *     rejection or direct response
     */
    public void onRequest(Exchange exchange, Executor resume, Consumer<Decision> done) {
        run(exchange, 0, resume, done);
    }

    private void run(Exchange exchange, int from, Executor resume, Consumer<Decision> done) {
        Policy[] policies = requestOrder;
        for (int i = from; i < policies.length; i++) {
            CompletionStage<Decision> stage;
            try {
                stage = policies[i].onRequest(exchange);
            } catch (RuntimeException | Error e) {
                done.accept(bug(policies[i], exchange, e));
                return;
            }
            if (stage == Decision.proceedStage()) {
                continue;
            }
            CompletableFuture<Decision> future = asFuture(stage);
            if (future != null && future.isDone()) {
                Decision d;
                try {
                    d = future.join();
                } catch (CompletionException | java.util.concurrent.CancellationException e) {
                    done.accept(bug(policies[i], exchange, e.getCause() == null ? e : e.getCause()));
                    return;
                }
                if (d instanceof Decision.Proceed) {
                    continue;
                }
                done.accept(d == null ? bug(policies[i], exchange, new NullPointerException("null decision")) : d);
                return;
            }
            int next = i + 1;
            continueAfter(stage, policies[i], exchange, resume, done, () -> run(exchange, next, resume, done));
            return;
        }
        done.accept(Decision.proceed());
    }

    /**
     * Runs the response side of the chain; returns a rejection to send instead when a policy failed.
     *
     * @return null when every policy ran, or an internal-error rejection
     */
    public Decision onResponse(Exchange exchange) {
        for (Policy p : responseOrder) {
            try {
                p.onResponse(exchange);
            } catch (RuntimeException | Error e) {
                return bug(p, exchange, e);
            }
        }
        return null;
    }

    /** True when a policy of the chain must see this exchange's whole request body. */
    public boolean inspectsRequestBody(Exchange exchange) {
        for (Policy p : requestOrder) {
            if (p.inspectsRequestBody(exchange)) {
                return true;
            }
        }
        return false;
    }

    /** True when a policy of the chain must see this exchange's whole response body. */
    public boolean inspectsResponseBody(Exchange exchange) {
        for (Policy p : responseOrder) {
            if (p.inspectsResponseBody(exchange)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Hands the buffered request body to the policies that asked for it, in request order; asynchronous decisions
     * resume on {@code resume} like {@link #onRequest}.
     */
    public void onRequestBody(Exchange exchange, Body body, Executor resume, Consumer<Decision> done) {
        runBody(exchange, body, 0, resume, done);
    }

    private void runBody(Exchange exchange, Body body, int from, Executor resume, Consumer<Decision> done) {
        Policy[] policies = requestOrder;
        for (int i = from; i < policies.length; i++) {
            Policy p = policies[i];
            CompletionStage<Decision> stage;
            try {
                if (!p.inspectsRequestBody(exchange)) {
                    continue;
                }
                stage = p.onRequestBody(exchange, body);
            } catch (RuntimeException | Error e) {
                done.accept(bug(p, exchange, e));
                return;
            }
            if (stage == Decision.proceedStage()) {
                continue;
            }
            int next = i + 1;
            continueAfter(stage, p, exchange, resume, done, () -> runBody(exchange, body, next, resume, done));
            return;
        }
        done.accept(Decision.proceed());
    }

    /**
     * Hands the buffered response body to the policies that asked for it, in response order.
     *
     * @return null when every policy let it through (perhaps changed), else the rejection to send instead
     */
    public Decision onResponseBody(Exchange exchange, Body body) {
        for (Policy p : responseOrder) {
            try {
                if (!p.inspectsResponseBody(exchange)) {
                    continue;
                }
                Decision d = p.onResponseBody(exchange, body);
                if (d == null) {
                    return bug(p, exchange, new NullPointerException("null decision"));
                }
                if (!(d instanceof Decision.Proceed)) {
                    return d;
                }
            } catch (RuntimeException | Error e) {
                return bug(p, exchange, e);
            }
        }
        return null;
    }

    /**
     * Waits for an asynchronous decision, then, on the exchange's thread, runs {@code next} when it proceeds or
     * hands anything else (or a failure, as a bug) to {@code done}.
     */
    private static void continueAfter(
            CompletionStage<Decision> stage,
            Policy policy,
            Exchange exchange,
            Executor resume,
            Consumer<Decision> done,
            Runnable next) {
        stage.whenComplete((d, error) -> resume.execute(() -> {
            if (error != null || d == null) {
                Throwable cause = error instanceof CompletionException && error.getCause() != null
                        ? error.getCause()
                        : error == null ? new NullPointerException("null decision") : error;
                done.accept(bug(policy, exchange, cause));
            } else if (d instanceof Decision.Proceed) {
                next.run();
            } else {
                done.accept(d);
            }
        }));
    }

    private static CompletableFuture<Decision> asFuture(CompletionStage<Decision> stage) {
        if (stage instanceof CompletableFuture<Decision> cf && cf.getClass() == CompletableFuture.class) {
            return cf;
        }
        try {
            return stage.toCompletableFuture();
        } catch (UnsupportedOperationException e) {
            return null;
        }
    }

    private static Decision bug(Policy policy, Exchange exchange, Throwable e) {
        // A policy that throws is a bug, not a client error: log it once, with the request id to correlate.
        LOG.error(
                "policy {} failed on request {} (route {})",
                policy.getClass().getName(),
                exchange.requestId(),
                exchange.routeId(),
                e);
        return Decision.reject(
                ErrorKeys.INTERNAL_ERROR, "request " + exchange.requestId() + " failed inside the gateway");
    }
}
