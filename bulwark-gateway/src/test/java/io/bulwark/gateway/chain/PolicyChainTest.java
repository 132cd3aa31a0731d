package io.bulwark.gateway.chain;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.api.AttributeKey;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.ErrorKeys;
import io.bulwark.api.Exchange;
import io.bulwark.api.Headers;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.ResponseHead;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class PolicyChainTest {
    static final ErrorKey DENIED = new ErrorKey("TEST_DENIED", 403, "Denied");
    final List<String> trace = new ArrayList<>();
    final Exchange exchange = new StubExchange();

    Policy recording(String name, Phase phase, Decision decision) {
        return new Policy() {
            @Override
            public Phase phase() {
                return phase;
            }

            @Override
            public CompletionStage<Decision> onRequest(Exchange ex) {
                trace.add("req:" + name);
                return decision.asStage();
            }

            @Override
            public void onResponse(Exchange ex) {
                trace.add("resp:" + name);
            }
        };
    }

    Decision run(PolicyChain chain, Executor resume) {
        AtomicReference<Decision> out = new AtomicReference<>();
        chain.onRequest(exchange, resume, out::set);
        return out.get();
    }

    @Test
    void orders_by_phase_then_config_order_and_reverses_for_responses() {
        PolicyChain chain = PolicyChain.of(List.of(
                recording("validate", Phase.VALIDATE, Decision.proceed()),
                recording("auth", Phase.AUTHENTICATE, Decision.proceed()),
                recording("ip", Phase.CONNECT, Decision.proceed()),
                recording("limit1", Phase.LIMIT, Decision.proceed()),
                recording("limit2", Phase.LIMIT, Decision.proceed())));
        assertThat(run(chain, Runnable::run)).isInstanceOf(Decision.Proceed.class);
        assertThat(chain.onResponse(exchange)).isNull();
        assertThat(trace)
                .containsExactly(
                        "req:ip",
                        "req:auth",
                        "req:limit1",
                        "req:limit2",
                        "req:validate",
                        "resp:validate",
                        "resp:limit2",
                        "resp:limit1",
                        "resp:auth",
                        "resp:ip");
    }

    @Test
    void stops_at_the_first_rejection() {
        PolicyChain chain = PolicyChain.of(List.of(
                recording("a", Phase.CONNECT, Decision.proceed()),
                recording("b", Phase.AUTHENTICATE, Decision.reject(DENIED, "no")),
                recording("c", Phase.VALIDATE, Decision.proceed())));
        Decision d = run(chain, Runnable::run);
        assertThat(d).isEqualTo(Decision.reject(DENIED, "no"));
        assertThat(trace).containsExactly("req:a", "req:b");
    }

    @Test
    void resumes_asynchronous_decisions_on_the_given_executor() {
        CompletableFuture<Decision> pending = new CompletableFuture<>();
        Policy async = new Policy() {
            @Override
            public Phase phase() {
                return Phase.AUTHENTICATE;
            }

            @Override
            public CompletionStage<Decision> onRequest(Exchange ex) {
                trace.add("req:async");
                return pending;
            }
        };
        ConcurrentLinkedQueue<Runnable> loop = new ConcurrentLinkedQueue<>();
        PolicyChain chain = PolicyChain.of(List.of(async, recording("after", Phase.VALIDATE, Decision.proceed())));
        AtomicReference<Decision> out = new AtomicReference<>();
        chain.onRequest(exchange, loop::add, out::set);
        assertThat(out.get()).isNull();
        pending.complete(Decision.proceed());
        // Nothing ran on the completing thread: the rest waits for the event loop.
        assertThat(trace).containsExactly("req:async");
        assertThat(loop).hasSize(1);
        loop.poll().run();
        assertThat(trace).containsExactly("req:async", "req:after");
        assertThat(out.get()).isInstanceOf(Decision.Proceed.class);
    }

    @Test
    void turns_a_throwing_or_failing_policy_into_an_internal_error() {
        Policy throwing = new Policy() {
            @Override
            public Phase phase() {
                return Phase.VALIDATE;
            }

            @Override
            public CompletionStage<Decision> onRequest(Exchange ex) {
                throw new IllegalStateException("bug");
            }
        };
        Decision d = run(PolicyChain.of(List.of(throwing)), Runnable::run);
        assertThat(d).isInstanceOfSatisfying(Decision.Reject.class, r -> {
            assertThat(r.key()).isEqualTo(ErrorKeys.INTERNAL_ERROR);
            assertThat(r.detail()).contains("req-1").doesNotContain("bug");
        });
        Policy failing = new Policy() {
            @Override
            public Phase phase() {
                return Phase.VALIDATE;
            }

            @Override
            public CompletionStage<Decision> onRequest(Exchange ex) {
                return CompletableFuture.failedFuture(new RuntimeException("boom"));
            }
        };
        assertThat(run(PolicyChain.of(List.of(failing)), Runnable::run))
                .isInstanceOfSatisfying(
                        Decision.Reject.class, r -> assertThat(r.key()).isEqualTo(ErrorKeys.INTERNAL_ERROR));
        Policy nullDecision = new Policy() {
            @Override
            public Phase phase() {
                return Phase.VALIDATE;
            }

            @Override
            public CompletionStage<Decision> onRequest(Exchange ex) {
                return CompletableFuture.completedFuture(null);
            }
        };
        assertThat(run(PolicyChain.of(List.of(nullDecision)), Runnable::run))
                .isInstanceOfSatisfying(
                        Decision.Reject.class, r -> assertThat(r.key()).isEqualTo(ErrorKeys.INTERNAL_ERROR));
    }

    @Test
    void reports_a_throwing_response_policy() {
        Policy bad = new Policy() {
            @Override
            public Phase phase() {
                return Phase.RESPOND;
            }

            @Override
            public void onResponse(Exchange ex) {
                throw new IllegalStateException("bug");
            }
        };
        assertThat(PolicyChain.of(List.of(bad)).onResponse(exchange))
                .isInstanceOfSatisfying(
                        Decision.Reject.class, r -> assertThat(r.key()).isEqualTo(ErrorKeys.INTERNAL_ERROR));
    }

    @Test
    void an_empty_chain_proceeds() {
        assertThat(run(PolicyChain.of(List.of()), Runnable::run)).isInstanceOf(Decision.Proceed.class);
        assertThat(PolicyChain.of(List.of()).isEmpty()).isTrue();
    }

    /** The chain only needs ids for its log line. */
    static final class StubExchange implements Exchange {
        @Override
        public String requestId() {
            return "req-1";
        }

        @Override
        public String routeId() {
            return "r";
        }

        @Override
        public String method() {
            return "GET";
        }

        @Override
        public String scheme() {
            return "http";
        }

        @Override
        public String host() {
            return "h";
        }

        @Override
        public String path() {
            return "/";
        }

        @Override
        public String query() {
            return null;
        }

        @Override
        public Headers requestHeaders() {
            return null;
        }

        @Override
        public String clientIp() {
            return "127.0.0.1";
        }

        @Override
        public long requestContentLength() {
            return -1;
        }

        @Override
        public ResponseHead response() {
            return null;
        }

        @Override
        public <T> Optional<T> attribute(AttributeKey<T> key) {
            return Optional.empty();
        }

        @Override
        public <T> void attribute(AttributeKey<T> key, T value) {}
    }
}
