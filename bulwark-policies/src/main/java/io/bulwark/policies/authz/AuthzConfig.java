package io.bulwark.policies.authz;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonPointer;
import io.bulwark.api.ErrorKey;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code authz} settings, compiled: expressions are closures, JSON pointers are parsed. Built by {@link
 * AuthzPolicyFactory}, which has already checked every name against the route's OpenAPI document.
 *
 * @param allowUnknownOperations let requests that matched no operation through (they then need {@code routeScopes})
 * @param routeScopes scopes every request without an operation needs (a route without an OpenAPI document)
 * @param scopeOverrides per operation id, the alternatives that replace the spec's security requirement
 * @param rules claim rules, checked in order on every request
 * @param objects object-level (ownership) rules
 * @param admin the function-level guard
 */
record AuthzConfig(
        boolean allowUnknownOperations,
        Set<String> routeScopes,
        Map<String, List<Set<String>>> scopeOverrides,
        List<Rule> rules,
        List<ObjectRule> objects,
        Admin admin) {
    AuthzConfig {
        routeScopes = Set.copyOf(routeScopes);
        scopeOverrides = Map.copyOf(scopeOverrides);
        scopeOverrides.forEach((id, alternatives) -> {
            if (alternatives.isEmpty()) {
                throw new IllegalArgumentException(
                        "scopeOverrides." + id + ": [] (expected: at least one alternative)");
            }
        });
        rules = List.copyOf(rules);
        objects = List.copyOf(objects);
        requireNonNull(admin, "admin");
        Set<String> names = new HashSet<>();
        for (Rule r : rules) {
            if (!names.add(r.name())) {
                throw new IllegalArgumentException("rules.name: " + r.name() + " (expected: unique)");
            }
        }
        names.clear();
        for (ObjectRule o : objects) {
            if (!names.add(o.name())) {
                throw new IllegalArgumentException("objects.name: " + o.name() + " (expected: unique)");
            }
        }
    }

    /**
     * A claim rule.
     *
     * @param when the condition for the rule to apply, or null for every request
     * @param require what must hold when it applies
     */
    record Rule(String name, Expr when, Expr require) {
        Rule {
            requireName(name);
            requireNonNull(require, "require");
        }
    }

    /** Where an object rule reads the object's owner. */
    enum Source {
        PATH_PARAM,
        REQUEST_FIELD,
        RESPONSE_FIELD
    }

    /**
     * An object-level rule: the owner read from {@code source} must equal {@code equals}, compared as strings.
     *
     * @param pathParam the path parameter, for {@link Source#PATH_PARAM}
     * @param pointer the JSON pointer into the body, for the two field sources
     * @param denial {@link AuthzErrors#AUTHZ_OBJECT_DENIED} or {@link AuthzErrors#AUTHZ_OBJECT_NOT_FOUND}
     */
    record ObjectRule(
            String name,
            Set<String> operations,
            Source source,
            String pathParam,
            JsonPointer pointer,
            Expr equals,
            ErrorKey denial) {
        ObjectRule {
            requireName(name);
            operations = Set.copyOf(operations);
            if (operations.isEmpty()) {
                throw new IllegalArgumentException("operations: [] (expected: at least one operation id)");
            }
            requireNonNull(source, "source");
            requireNonNull(equals, "equals");
            if ((source == Source.PATH_PARAM) != (pathParam != null)) {
                throw new IllegalArgumentException("pathParam: " + pathParam + " (expected: set for path_param only)");
            }
            if ((source != Source.PATH_PARAM) != (pointer != null)) {
                throw new IllegalArgumentException("pointer: " + pointer + " (expected: set for body fields only)");
            }
            if (!denial.equals(AuthzErrors.AUTHZ_OBJECT_DENIED) && !denial.equals(AuthzErrors.AUTHZ_OBJECT_NOT_FOUND)) {
                throw new IllegalArgumentException("denial: " + denial.key() + " (expected: an object error key)");
            }
        }
    }

    /**
     * The function-level guard: operations with one of {@code tags}, listed in {@code operations}, or flagged
     * {@code <extension>: true} in the spec refuse callers for whom {@code require} does not hold.
     */
    record Admin(Set<String> tags, Set<String> operations, String extension, Expr require) {
        Admin {
            tags = Set.copyOf(tags);
            operations = Set.copyOf(operations);
            if (!extension.startsWith("x-")) {
                throw new IllegalArgumentException("extension: " + extension + " (expected: a name starting with x-)");
            }
            requireNonNull(require, "require");
        }
    }

    private static void requireName(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name: " + name + " (expected: a non-blank name)");
        }
    }
}
