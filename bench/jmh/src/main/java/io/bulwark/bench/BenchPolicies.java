package io.bulwark.bench;

import io.bulwark.api.Decision;
import io.bulwark.api.Exchange;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.auth.jwt.JwtPolicyFactory;
import io.bulwark.policies.authz.AuthzPolicyFactory;
import io.bulwark.policies.cors.CorsPolicyFactory;
import io.bulwark.policies.headers.HeadersPolicyFactory;
import io.bulwark.policies.identity.ForwardIdentityPolicyFactory;
import io.bulwark.policies.inspect.InspectPolicyFactory;
import io.bulwark.policies.requestsize.RequestSizePolicyFactory;
import io.bulwark.policies.stepup.StepUpPolicyFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** The policy lists the chain benchmarks run, built the way the config loader builds them. */
final class BenchPolicies {
    static final String ALLOWED_ORIGIN = "https://app.example.com";

    private static final PolicyContext CONTEXT = new PolicyContext(Path.of("."), "bench");

    private BenchPolicies() {}

    /**
     * Every built-in policy, configured as bench/run.sh configures scenario (d), except {@code openapi}, which
     * needs the route's OpenAPI document and the gateway's operation match (measured end to end in bench/run.sh). When a policy is added to
     * bulwark-policies, add it here and in bench/policies-all.yaml.
     */
    static List<Policy> allBuiltIn() {
        return List.of(
                create(
                        new CorsPolicyFactory(),
                        Map.of(
                                "allow_origins", List.of(ALLOWED_ORIGIN),
                                "allow_methods", List.of("GET", "POST"),
                                "allow_headers", List.of("Content-Type"))),
                create(new RequestSizePolicyFactory(), Map.of("max_body_bytes", "1MiB")),
                create(new HeadersPolicyFactory(), Map.of()),
                create(
                        new JwtPolicyFactory(),
                        Map.of(
                                "jwks_file",
                                "jwks.json",
                                "algorithms",
                                List.of("ES256"),
                                "issuer",
                                BenchToken.ISSUER,
                                "audiences",
                                List.of(BenchToken.AUDIENCE)),
                        new PolicyContext(BenchToken.KEY_DIR, "bench")),
                create(new ForwardIdentityPolicyFactory(), Map.of("headers", Map.of("X-User-Id", "subject"))),
                create(
                        new AuthzPolicyFactory(),
                        Map.of(
                                "scopes",
                                List.of("bench:read"),
                                "rules",
                                List.of(Map.of(
                                        "name", "bench-user-only", "require", "principal.subject == 'bench-user'")))),
                create(new StepUpPolicyFactory(), Map.of("max_age", "1d")),
                create(new InspectPolicyFactory(), Map.of()));
    }

    /** {@code n} policies that proceed at once: the chain's own cost per policy. */
    static List<Policy> trivial(int n) {
        Phase[] phases = Phase.values();
        List<Policy> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new TrivialPolicy(phases[i % phases.length]));
        }
        return out;
    }

    private static Policy create(PolicyFactory factory, Map<String, Object> config) {
        return create(factory, config, CONTEXT);
    }

    private static Policy create(PolicyFactory factory, Map<String, Object> config, PolicyContext context) {
        try {
            return factory.create(ConfigNode.fromValue(config, "bench"), context);
        } catch (ConfigException e) {
            throw new IllegalStateException("bench config for policy " + factory.name() + " is invalid", e);
        }
    }

    /** Proceeds synchronously and leaves the response alone. */
    static final class TrivialPolicy implements Policy {
        private final Phase phase;

        TrivialPolicy(Phase phase) {
            this.phase = phase;
        }

        @Override
        public Phase phase() {
            return phase;
        }

        @Override
        public CompletionStage<Decision> onRequest(Exchange exchange) {
            return Decision.proceedStage();
        }

        @Override
        public void onResponse(Exchange exchange) {}
    }
}
