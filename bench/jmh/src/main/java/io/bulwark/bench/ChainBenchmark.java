package io.bulwark.bench;

import io.bulwark.api.Decision;
import io.bulwark.api.Policy;
import io.bulwark.gateway.chain.PolicyChain;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The cost of running a route's policy chain for one request, without sockets: the request phase, the response
 * phase, and both (what every proxied request pays).
 *
 * <p>Chains: {@code empty} (a public route with no policies), {@code builtin} (every built-in policy, configured
 * like scenario (d) of bench/run.sh), {@code trivial10} (ten policies that proceed at once: the chain's own
 * overhead per policy). The request is a browser-like GET with an allowed {@code Origin}, so CORS does its work.
 *
 * <p>Each invocation resets one reusable in-memory exchange (request headers, attributes, and for the response
 * phase a fresh upstream response head). That reset is included in every figure, the {@code empty} chain too:
 * compare chains by their difference to {@code empty}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ChainBenchmark {
    /** Synchronous policies never resume; the executor is still required and runs inline like an event loop. */
    private static final Executor INLINE = Runnable::run;

    @Param({"empty", "builtin", "trivial10"})
    public String chain;

    private PolicyChain policyChain;
    private BenchExchange exchange;
    private final Sink sink = new Sink();

    @Setup
    public void setUp() {
        List<Policy> policies = switch (chain) {
            case "empty" -> List.of();
            case "builtin" -> BenchPolicies.allBuiltIn();
            case "trivial10" -> BenchPolicies.trivial(10);
            default -> throw new IllegalArgumentException("chain: " + chain);
        };
        policyChain = PolicyChain.of(policies);
        exchange = new BenchExchange(BenchPolicies.ALLOWED_ORIGIN);
        // Fail fast when the setup is wrong rather than measure rejections.
        policyChain.onRequest(exchange, INLINE, sink);
        if (!(sink.decision instanceof Decision.Proceed)) {
            throw new IllegalStateException(
                    "chain " + chain + " did not let the bench request through: " + sink.decision);
        }
    }

    @Benchmark
    public Decision requestPhase() {
        exchange.reset();
        policyChain.onRequest(exchange, INLINE, sink);
        return sink.decision;
    }

    @Benchmark
    public Decision responsePhase() {
        exchange.upstreamResponded();
        return policyChain.onResponse(exchange);
    }

    @Benchmark
    public void fullExchange(Blackhole bh) {
        exchange.reset();
        policyChain.onRequest(exchange, INLINE, sink);
        bh.consume(sink.decision);
        exchange.upstreamResponded();
        bh.consume(policyChain.onResponse(exchange));
    }

    /** Keeps the last decision without allocating a capturing lambda per call. */
    static final class Sink implements Consumer<Decision> {
        Decision decision;

        @Override
        public void accept(Decision d) {
            decision = d;
        }
    }
}
