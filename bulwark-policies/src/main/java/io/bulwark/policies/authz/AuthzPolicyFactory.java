package io.bulwark.policies.authz;

import com.fasterxml.jackson.core.JsonPointer;
import io.bulwark.api.Operation;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.api.config.Suggestions;
import io.bulwark.policies.authz.AuthzConfig.Admin;
import io.bulwark.policies.authz.AuthzConfig.ObjectRule;
import io.bulwark.policies.authz.AuthzConfig.Rule;
import io.bulwark.policies.authz.AuthzConfig.Source;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code authz}: authorizes authenticated requests by the scopes of their OpenAPI operation, claim rules written in a
 * small expression language, object ownership rules (BOLA) and an administrators-only guard (BFLA). Every name in
 * the config is checked against the route's OpenAPI document at load.
 */
public final class AuthzPolicyFactory implements PolicyFactory {
    /** RFC 6749 §3.3 scope-token. */
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}");

    /** Template parameters; templates come from the operator's spec and this pattern cannot backtrack. */
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^{}/]+)}");

    static final String DEFAULT_ADMIN_EXTENSION = "x-bulwark-admin";
    static final String DEFAULT_ADMIN_REQUIRE = "'admin' in principal.scopes";
    static final String DEFAULT_OWNER = "principal.subject";

    @Override
    public String name() {
        return "authz";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        boolean allowUnknown =
                f.choice("unknown_operations", List.of("deny", "allow"), "deny").equals("allow");
        Optional<ConfigNode> scopesNode = f.optional("scopes");
        Optional<ConfigNode> operationsNode = f.optional("operations");
        Optional<ConfigNode> rulesNode = f.optional("rules");
        Optional<ConfigNode> objectsNode = f.optional("objects");
        Optional<ConfigNode> adminNode = f.optional("admin");
        f.finish();

        Spec spec = new Spec(context.operations());
        Set<String> routeScopes = scopesNode.isPresent() ? scopes(scopesNode.get()) : Set.of();

        Map<String, List<Set<String>>> overrides = new LinkedHashMap<>();
        if (operationsNode.isPresent()) {
            for (Map.Entry<String, ConfigNode> e : operationsNode.get().asMap().entrySet()) {
                spec.require(e.getValue(), e.getKey());
                overrides.put(e.getKey(), alternatives(e.getValue()));
            }
        }

        List<Rule> rules = new ArrayList<>();
        Set<String> ruleNames = new HashSet<>();
        if (rulesNode.isPresent()) {
            for (ConfigNode item : rulesNode.get().asList()) {
                ConfigNode.Fields rf = item.fields();
                rf.optional("name");
                Optional<ConfigNode> when = rf.optional("when");
                rf.optional("require");
                // Unknown keys first: a misspelt 'require' is reported as such, not as a missing one.
                rf.finish();
                String name = uniqueName(rf.required("name"), ruleNames, "rule");
                ConfigNode require = rf.required("require");
                rules.add(new Rule(
                        name,
                        when.isPresent() ? expression(when.get(), name, spec.parameters) : null,
                        expression(require, name, spec.parameters)));
            }
        }

        List<ObjectRule> objects = new ArrayList<>();
        Set<String> objectNames = new HashSet<>();
        if (objectsNode.isPresent()) {
            for (ConfigNode item : objectsNode.get().asList()) {
                objects.add(objectRule(item, spec, objectNames));
            }
        }

        Admin admin = admin(adminNode, spec);
        return new AuthzPolicy(
                new AuthzConfig(allowUnknown, routeScopes, overrides, rules, objects, admin), context.operations());
    }

    /** The route's operations, and the names config may use about them. */
    private static final class Spec {
        final Map<String, Operation> byId = new LinkedHashMap<>();
        /** Null without a spec: then path references are not checked (they read as missing). */
        final Set<String> parameters;

        Spec(List<Operation> operations) {
            Set<String> params = new TreeSet<>();
            for (Operation op : operations) {
                byId.put(op.id(), op);
                params.addAll(parameters(op));
            }
            this.parameters = operations.isEmpty() ? null : Set.copyOf(params);
        }

        /** Fails unless the route's OpenAPI document has this operation id. */
        void require(ConfigNode node, String id) throws ConfigException {
            if (byId.isEmpty()) {
                throw node.error(
                        "operation '" + id + "' on a route without an OpenAPI document",
                        "an 'openapi' document on the route, whose operationIds config can name");
            }
            if (!byId.containsKey(id)) {
                List<String> near = Suggestions.near(id, byId.keySet(), 3);
                throw node.error(
                        "unknown operation '" + id + "'",
                        "an operationId of the route's OpenAPI document"
                                + (near.isEmpty()
                                        ? " (" + byId.size() + " operations, such as '"
                                                + byId.keySet().iterator().next() + "')"
                                        : "; did you mean '" + String.join("', '", near) + "'?"));
            }
        }
    }

    static Set<String> parameters(Operation op) {
        Set<String> out = new LinkedHashSet<>();
        Matcher m = TEMPLATE_PARAMETER.matcher(op.pathTemplate());
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private static Set<String> scopes(ConfigNode node) throws ConfigException {
        Set<String> out = new LinkedHashSet<>();
        for (ConfigNode item : node.asItems()) {
            String s = item.asString();
            if (!SCOPE.matcher(s).matches()) {
                throw item.error("a scope: printable ASCII without spaces, '\"' or '\\', at most 256 characters");
            }
            out.add(s);
        }
        return out;
    }

    private static List<Set<String>> alternatives(ConfigNode node) throws ConfigException {
        ConfigNode.Fields f = node.fields();
        Optional<ConfigNode> scopes = f.optional("scopes");
        Optional<ConfigNode> anyOf = f.optional("any_of");
        f.finish();
        if (scopes.isPresent() == anyOf.isPresent()) {
            throw node.error("either {scopes: [...]} or {any_of: [[...], [...]]}");
        }
        if (scopes.isPresent()) {
            // scopes: [] is one alternative with no scope: authenticated, any scope.
            return List.of(scopes(scopes.get()));
        }
        List<Set<String>> out = new ArrayList<>();
        for (ConfigNode alternative : anyOf.get().asList()) {
            out.add(scopes(alternative));
        }
        if (out.isEmpty()) {
            throw anyOf.get().error("at least one alternative, such as [[orders:read], [orders:admin]]");
        }
        return out;
    }

    private static String uniqueName(ConfigNode node, Set<String> seen, String what) throws ConfigException {
        String name = node.asNonBlankString();
        if (name.length() > 64 || name.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\'')) {
            throw node.error("a " + what + " name of at most 64 printable characters without quotes");
        }
        if (!seen.add(name)) {
            throw node.error("a duplicate " + what + " name", "a name used by one " + what + " only");
        }
        return name;
    }

    private static Expr expression(ConfigNode node, String rule, Set<String> parameters) throws ConfigException {
        String source = node.asString();
        try {
            return ExprParser.compile(source, parameters);
        } catch (ExprParser.ExprException e) {
            throw node.error(
                    "rule '" + rule + "': an expression that does not compile at column " + e.column(),
                    e.expected() + "; see the expression language in docs/configuration.md#authz");
        }
    }

    private static ObjectRule objectRule(ConfigNode item, Spec spec, Set<String> names) throws ConfigException {
        ConfigNode.Fields f = item.fields();
        f.optional("name");
        f.optional("operations");
        Optional<ConfigNode> pathParam = f.optional("path_param");
        Optional<ConfigNode> requestField = f.optional("request_field");
        Optional<ConfigNode> responseField = f.optional("response_field");
        Optional<ConfigNode> equalsNode = f.optional("equals");
        Optional<ConfigNode> onDenyNode = f.optional("on_deny");
        f.finish();
        String name = uniqueName(f.required("name"), names, "object rule");
        ConfigNode operationsNode = f.required("operations");
        String onDeny = onDenyNode.isPresent() ? onDenyNode.get().asChoice(List.of("403", "404")) : "403";

        List<ConfigNode> opItems = operationsNode.asItems();
        if (opItems.isEmpty()) {
            throw operationsNode.error("at least one operationId");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (ConfigNode op : opItems) {
            String id = op.asNonBlankString();
            spec.require(op, id);
            ids.add(id);
        }
        int sources = (pathParam.isPresent() ? 1 : 0)
                + (requestField.isPresent() ? 1 : 0)
                + (responseField.isPresent() ? 1 : 0);
        if (sources != 1) {
            throw item.error(
                    sources == 0 ? "no owner source" : "several owner sources",
                    "exactly one of 'path_param', 'request_field', 'response_field'");
        }
        Source source;
        String param = null;
        JsonPointer pointer = null;
        if (pathParam.isPresent()) {
            source = Source.PATH_PARAM;
            param = pathParam.get().asNonBlankString();
            for (String id : ids) {
                Set<String> params = parameters(spec.byId.get(id));
                if (!params.contains(param)) {
                    String near = Suggestions.closest(param, params);
                    throw pathParam
                            .get()
                            .error(
                                    "a parameter that operation '" + id + "' ("
                                            + spec.byId.get(id).pathTemplate() + ") does not have",
                                    params.isEmpty()
                                            ? "operations with a path parameter"
                                            : "one of " + String.join(", ", params)
                                                    + (near != null ? "; did you mean '" + near + "'?" : ""));
                }
            }
        } else {
            ConfigNode node = requestField.orElseGet(responseField::get);
            source = requestField.isPresent() ? Source.REQUEST_FIELD : Source.RESPONSE_FIELD;
            String text = node.asString();
            try {
                pointer = JsonPointer.compile(text);
            } catch (IllegalArgumentException e) {
                pointer = null;
            }
            if (pointer == null || text.isEmpty()) {
                throw node.error("a JSON pointer (RFC 6901) to a field, such as /ownerId or /owner/id");
            }
        }
        Expr owner = equalsNode.isPresent()
                ? expression(equalsNode.get(), name, spec.parameters)
                : compileDefault(DEFAULT_OWNER);
        return new ObjectRule(
                name,
                ids,
                source,
                param,
                pointer,
                owner,
                onDeny.equals("404") ? AuthzErrors.AUTHZ_OBJECT_NOT_FOUND : AuthzErrors.AUTHZ_OBJECT_DENIED);
    }

    private static Admin admin(Optional<ConfigNode> node, Spec spec) throws ConfigException {
        if (node.isEmpty()) {
            // The guard is always on: an operation flagged x-bulwark-admin in the spec is never left open.
            return new Admin(Set.of(), Set.of(), DEFAULT_ADMIN_EXTENSION, compileDefault(DEFAULT_ADMIN_REQUIRE));
        }
        ConfigNode.Fields f = node.get().fields();
        List<String> tags = f.stringList("tags");
        Optional<ConfigNode> operations = f.optional("operations");
        Optional<ConfigNode> extensionNode = f.optional("extension");
        Optional<ConfigNode> require = f.optional("require");
        f.finish();
        Set<String> ids = new LinkedHashSet<>();
        if (operations.isPresent()) {
            for (ConfigNode op : operations.get().asItems()) {
                String id = op.asNonBlankString();
                spec.require(op, id);
                ids.add(id);
            }
        }
        String extension = DEFAULT_ADMIN_EXTENSION;
        if (extensionNode.isPresent()) {
            extension = extensionNode.get().asString();
            if (!extension.startsWith("x-") || extension.length() < 3) {
                throw extensionNode.get().error("an OpenAPI extension name starting with x-");
            }
        }
        Expr expr = require.isPresent()
                ? expression(require.get(), "admin", spec.parameters)
                : compileDefault(DEFAULT_ADMIN_REQUIRE);
        return new Admin(Set.copyOf(tags), ids, extension, expr);
    }

    private static Expr compileDefault(String source) {
        try {
            return ExprParser.compile(source, null);
        } catch (ExprParser.ExprException e) {
            throw new IllegalStateException("built-in expression: " + source, e);
        }
    }
}
