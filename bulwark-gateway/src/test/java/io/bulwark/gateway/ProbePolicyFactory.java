package io.bulwark.gateway;

import io.bulwark.api.Attributes;
import io.bulwark.api.Body;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Exchange;
import io.bulwark.api.OperationMatch;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A test-only policy that makes the gateway's policy plumbing visible: it echoes the matched operation and the
 * environment to the upstream, and inspects bodies (upper-cases request bodies, refuses ones that say "forbidden",
 * appends "!" to responses, refuses responses that say "secret").
 */
public final class ProbePolicyFactory implements PolicyFactory {
    static final ErrorKey PROBE_REFUSED = new ErrorKey("PROBE_REFUSED", 422, "Refused by the probe");

    @Override
    public String name() {
        return "test-probe";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        boolean inspectRequest = f.bool("inspect_request", false);
        boolean inspectResponse = f.bool("inspect_response", false);
        boolean async = f.bool("async", false);
        boolean monitor = f.bool("monitor", false);
        f.finish();
        String operations = String.valueOf(context.operations().size());
        String env = String.valueOf(context.environment());
        return new Policy() {
            @Override
            public Phase phase() {
                return Phase.VALIDATE;
            }

            @Override
            public CompletionStage<Decision> onRequest(Exchange ex) {
                if (monitor) {
                    // What a policy in monitor mode does: let the request through, report what it would refuse.
                    ex.monitor(PROBE_REFUSED);
                    ex.monitor(PROBE_REFUSED);
                }
                ex.requestHeaders().set("X-Probe-Env", env);
                ex.requestHeaders().set("X-Probe-Operations", operations);
                OperationMatch m = ex.attribute(Attributes.OPERATION).orElse(null);
                if (m != null) {
                    ex.requestHeaders().set("X-Probe-Operation", m.operation().id());
                    ex.requestHeaders().set("X-Probe-Params", new TreeMap<>(m.pathParameters()).toString());
                }
                return Decision.proceedStage();
            }

            @Override
            public boolean inspectsRequestBody(Exchange ex) {
                return inspectRequest;
            }

            @Override
            public CompletionStage<Decision> onRequestBody(Exchange ex, Body body) {
                String text = new String(body.bytes(), StandardCharsets.UTF_8);
                Decision d;
                if (text.contains("forbidden")) {
                    d = Decision.reject(PROBE_REFUSED, "the body says forbidden");
                } else {
                    body.replace(text.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
                    d = Decision.proceed();
                }
                return async ? CompletableFuture.supplyAsync(() -> d) : d.asStage();
            }

            @Override
            public boolean inspectsResponseBody(Exchange ex) {
                return inspectResponse;
            }

            @Override
            public Decision onResponseBody(Exchange ex, Body body) {
                String text = new String(body.bytes(), StandardCharsets.UTF_8);
                if (text.contains("secret")) {
                    return Decision.reject(PROBE_REFUSED, "the response says secret");
                }
                body.replace((text + "!").getBytes(StandardCharsets.UTF_8));
                return Decision.proceed();
            }
        };
    }
}
