package io.bulwark.policies.authz;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.api.Attributes;
import io.bulwark.api.Body;
import io.bulwark.api.Decision;
import io.bulwark.api.Exchange;
import io.bulwark.api.Operation;
import io.bulwark.api.OperationMatch;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.Principal;
import io.bulwark.policies.authz.AuthzConfig.ObjectRule;
import io.bulwark.policies.authz.AuthzConfig.Rule;
import io.bulwark.policies.authz.AuthzConfig.Source;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * {@code authz}: scopes per operation, claim rules, object-level (BOLA) and function-level (BFLA) guards. Everything
 * is resolved per operation at load; a request costs one map lookup and the closures of the rules that apply.
 */
final class AuthzPolicy implements Policy {
    private static final String WWW_AUTHENTICATE = "WWW-Authenticate";
    private static final CompletionStage<Decision> MISSING = Decision.reject(
                    AuthzErrors.AUTH_MISSING, "authentication is required", Map.of(WWW_AUTHENTICATE, "Bearer"))
            .asStage();
    private static final CompletionStage<Decision> UNKNOWN = Decision.reject(
                    AuthzErrors.AUTHZ_UNKNOWN_OPERATION, "the request matches no operation of this API")
            .asStage();
    private static final CompletionStage<Decision> ADMIN_ONLY = Decision.reject(
                    AuthzErrors.AUTHZ_ADMIN_ONLY, "this operation is for administrators only")
            .asStage();

    /** What applies to one operation, resolved at load. */
    private record Compiled(
            List<Set<String>> alternatives,
            List<CompletionStage<Decision>> scopeDenials,
            boolean admin,
            List<ObjectRule> pathRules,
            List<ObjectRule> requestRules,
            List<ObjectRule> responseRules) {}

    private final AuthzConfig config;
    private final boolean hasSpec;
    private final Map<String, Compiled> operations;
    private final Compiled fallback;
    private final List<CompletionStage<Decision>> ruleDenials;
    private final Map<String, Decision> objectDenials;

    AuthzPolicy(AuthzConfig config, List<Operation> specOperations) {
        this.config = config;
        this.hasSpec = !specOperations.isEmpty();
        Map<String, Compiled> byId = new HashMap<>();
        for (Operation op : specOperations) {
            List<Set<String>> alternatives = config.scopeOverrides().getOrDefault(op.id(), op.securityAlternatives());
            byId.put(op.id(), compile(alternatives, isAdmin(op), op.id()));
        }
        this.operations = Map.copyOf(byId);
        this.fallback =
                compile(config.routeScopes().isEmpty() ? List.of() : List.of(config.routeScopes()), false, null);
        List<CompletionStage<Decision>> rules = new ArrayList<>();
        for (Rule r : config.rules()) {
            rules.add(Decision.reject(AuthzErrors.AUTHZ_RULE_DENIED, "rule '" + r.name() + "' denied the request")
                    .asStage());
        }
        this.ruleDenials = List.copyOf(rules);
        Map<String, Decision> objects = new HashMap<>();
        for (ObjectRule o : config.objects()) {
            objects.put(o.name(), Decision.reject(o.denial(), "rule '" + o.name() + "' denied access to this object"));
        }
        this.objectDenials = Map.copyOf(objects);
    }

    private boolean isAdmin(Operation op) {
        AuthzConfig.Admin admin = config.admin();
        if (admin.operations().contains(op.id()) || op.flag(admin.extension())) {
            return true;
        }
        for (String tag : op.tags()) {
            if (admin.tags().contains(tag)) {
                return true;
            }
        }
        return false;
    }

    private Compiled compile(List<Set<String>> alternatives, boolean admin, String id) {
        List<CompletionStage<Decision>> denials = new ArrayList<>();
        for (Set<String> alternative : alternatives) {
            String scopes = String.join(" ", alternative.stream().sorted().toList());
            denials.add(Decision.reject(
                            AuthzErrors.AUTHZ_INSUFFICIENT_SCOPE,
                            "this operation requires the scope(s): " + scopes,
                            Map.of(
                                    WWW_AUTHENTICATE,
                                    "Bearer error=\"insufficient_scope\", scope=\"" + quotable(scopes) + "\""))
                    .asStage());
        }
        List<ObjectRule> path = new ArrayList<>();
        List<ObjectRule> request = new ArrayList<>();
        List<ObjectRule> response = new ArrayList<>();
        if (id != null) {
            for (ObjectRule o : config.objects()) {
                if (o.operations().contains(id)) {
                    (o.source() == Source.PATH_PARAM ? path : o.source() == Source.REQUEST_FIELD ? request : response)
                            .add(o);
                }
            }
        }
        return new Compiled(
                List.copyOf(alternatives),
                List.copyOf(denials),
                admin,
                List.copyOf(path),
                List.copyOf(request),
                List.copyOf(response));
    }

    /** Scope names come from the spec: keep the header well-formed whatever they hold. */
    private static String quotable(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                b.append(c);
            }
        }
        return b.toString();
    }

    @Override
    public Phase phase() {
        return Phase.AUTHORIZE;
    }

    /** The compiled operation of the exchange, {@link #fallback} when none applies, or null when it is unknown. */
    private Compiled compiledFor(OperationMatch match) {
        Compiled c = match == null ? null : operations.get(match.operation().id());
        if (c != null) {
            return c;
        }
        return hasSpec && !config.allowUnknownOperations() ? null : fallback;
    }

    @Override
    public CompletionStage<Decision> onRequest(Exchange exchange) {
        Principal principal = exchange.attribute(Attributes.PRINCIPAL).orElse(null);
        if (principal == null) {
            return MISSING;
        }
        OperationMatch match = exchange.attribute(Attributes.OPERATION).orElse(null);
        Compiled c = compiledFor(match);
        if (c == null) {
            return UNKNOWN;
        }
        CompletionStage<Decision> scopes = checkScopes(c, principal.scopes());
        if (scopes != null) {
            return scopes;
        }
        Expr.Env env = new Expr.Env(exchange, principal, match);
        if (c.admin && !Expr.isTrue(config.admin().require().eval(env))) {
            return ADMIN_ONLY;
        }
        List<Rule> rules = config.rules();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if ((r.when() == null || Expr.isTrue(r.when().eval(env)))
                    && !Expr.isTrue(r.require().eval(env))) {
                return ruleDenials.get(i);
            }
        }
        for (ObjectRule o : c.pathRules) {
            String owner = match.pathParameters().get(o.pathParam());
            if (!owns(owner, o, env)) {
                return objectDenials.get(o.name()).asStage();
            }
        }
        if (!c.requestRules.isEmpty()) {
            // Only a JSON body can be checked; anything else would reach the upstream unchecked, so it is refused.
            List<String> types = exchange.requestHeaders().getAll("Content-Type");
            if (types.size() != 1 || !JsonBodies.isJson(types.get(0))) {
                return objectDenials.get(c.requestRules.get(0).name()).asStage();
            }
        }
        return Decision.proceedStage();
    }

    private static CompletionStage<Decision> checkScopes(Compiled c, Set<String> granted) {
        if (c.alternatives.isEmpty()) {
            return null;
        }
        int best = -1;
        int fewestMissing = Integer.MAX_VALUE;
        for (int i = 0; i < c.alternatives.size(); i++) {
            int missing = 0;
            for (String s : c.alternatives.get(i)) {
                if (!granted.contains(s)) {
                    missing++;
                }
            }
            if (missing == 0) {
                return null;
            }
            if (missing < fewestMissing) {
                fewestMissing = missing;
                best = i;
            }
        }
        // The challenge names the alternative closest to what the caller has: the one worth asking the user for.
        return c.scopeDenials.get(best);
    }

    private static boolean owns(String owner, ObjectRule rule, Expr.Env env) {
        if (owner == null) {
            return false;
        }
        String expected = Expr.canonical(rule.equals().eval(env));
        return owner.equals(expected);
    }

    @Override
    public boolean inspectsRequestBody(Exchange exchange) {
        Compiled c = compiledFor(exchange.attribute(Attributes.OPERATION).orElse(null));
        return c != null && !c.requestRules.isEmpty();
    }

    @Override
    public CompletionStage<Decision> onRequestBody(Exchange exchange, Body body) {
        OperationMatch match = exchange.attribute(Attributes.OPERATION).orElse(null);
        Compiled c = compiledFor(match);
        if (c == null || c.requestRules.isEmpty()) {
            return Decision.proceedStage();
        }
        return checkBody(exchange, match, body, c.requestRules).asStage();
    }

    @Override
    public boolean inspectsResponseBody(Exchange exchange) {
        if (exchange.response() == null || exchange.method().equals("HEAD")) {
            return false;
        }
        int status = exchange.response().status();
        if (status < 200 || status > 299 || status == 204 || status == 205) {
            return false;
        }
        Compiled c = compiledFor(exchange.attribute(Attributes.OPERATION).orElse(null));
        return c != null && !c.responseRules.isEmpty();
    }

    @Override
    public Decision onResponseBody(Exchange exchange, Body body) {
        if (!inspectsResponseBody(exchange)) {
            return Decision.proceed();
        }
        OperationMatch match = exchange.attribute(Attributes.OPERATION).orElse(null);
        return checkBody(exchange, match, body, compiledFor(match).responseRules);
    }

    /** Every rule must find the caller as the owner; a body that is not JSON, or lacks the field, fails closed. */
    private Decision checkBody(Exchange exchange, OperationMatch match, Body body, List<ObjectRule> rules) {
        Decision first = objectDenials.get(rules.get(0).name());
        Principal principal = exchange.attribute(Attributes.PRINCIPAL).orElse(null);
        if (principal == null || !JsonBodies.isJson(body.contentType())) {
            return first;
        }
        JsonNode root = JsonBodies.parse(body.bytes());
        if (root == null) {
            return first;
        }
        Expr.Env env = new Expr.Env(exchange, principal, match);
        for (ObjectRule o : rules) {
            String expected = Expr.canonical(o.equals().eval(env));
            if (expected == null) {
                return objectDenials.get(o.name());
            }
            if (root.isArray()) {
                // A list answer leaks as much as a single object: every element must belong to the caller.
                for (JsonNode element : root) {
                    if (!expected.equals(JsonBodies.owner(element, o.pointer()))) {
                        return objectDenials.get(o.name());
                    }
                }
            } else if (!expected.equals(JsonBodies.owner(root, o.pointer()))) {
                return objectDenials.get(o.name());
            }
        }
        return Decision.proceed();
    }
}
