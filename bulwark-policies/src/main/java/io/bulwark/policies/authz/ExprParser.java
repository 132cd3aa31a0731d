package io.bulwark.policies.authz;

import io.bulwark.api.OperationMatch;
import io.bulwark.api.config.Suggestions;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The rule language: a hand-written lexer and recursive-descent parser that compiles an expression into {@link Expr}
 * closures at config load. No scripting engine, no reflection, no regular expression: the input is bounded in
 * length ({@link #MAX_LENGTH}) and in nesting ({@link #MAX_DEPTH}) before any recursion can exhaust the stack.
 *
 * <pre>
 * expr     := or
 * or       := and ( 'or' and )*
 * and      := unary ( 'and' unary )*
 * unary    := 'not' unary | compare
 * compare  := operand ( ( '==' | '!=' | '&lt;' | '&lt;=' | '&gt;' | '&gt;=' | 'in' | 'contains' | 'startsWith' ) operand )?
 * operand  := STRING | NUMBER | 'true' | 'false' | 'null' | list | reference | '(' expr ')'
 * list     := '[' ( operand ( ',' operand )* )? ']'
 * reference:= IDENT ( '.' IDENT | '[' STRING ']' )*
 * </pre>
 */
final class ExprParser {
    /** Longest expression accepted, in characters. */
    static final int MAX_LENGTH = 2048;

    /** Deepest nesting of parentheses, lists and {@code not}. */
    static final int MAX_DEPTH = 32;

    static final List<String> ROOTS = List.of("claims", "path", "query", "header", "principal", "operation", "method");
    private static final List<String> PRINCIPAL_FIELDS = List.of("subject", "consumer", "scopes");
    private static final List<String> OPERATION_FIELDS = List.of("id", "tags");
    private static final Set<String> KEYWORDS =
            Set.of("and", "or", "not", "in", "contains", "startsWith", "true", "false", "null");

    /** A parse error: the 1-based column and what was expected there. */
    static final class ExprException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int column;
        private final String expected;

        ExprException(int column, String expected) {
            super("column " + column + ": expected " + expected);
            this.column = column;
            this.expected = expected;
        }

        int column() {
            return column;
        }

        String expected() {
            return expected;
        }
    }

    private enum Kind {
        STRING,
        NUMBER,
        IDENT,
        DOT,
        COMMA,
        LPAREN,
        RPAREN,
        LBRACKET,
        RBRACKET,
        OPERATOR,
        END
    }

    /** A constant; its value is known at load. */
    record Literal(Object value) implements Expr {
        @Override
        public Object eval(Env env) {
            return value;
        }
    }

    private record Token(Kind kind, String text, Object value, int column) {}

    private final List<Token> tokens;
    private final Set<String> pathParameters;
    private int pos;
    private int depth;

    private ExprParser(List<Token> tokens, Set<String> pathParameters) {
        this.tokens = tokens;
        this.pathParameters = pathParameters;
    }

    /**
     * Compiles an expression.
     *
     * @param pathParameters the parameter names of the route's operation templates, or null when the route has no
     *     OpenAPI document (then any {@code path.<name>} is accepted and reads as missing)
     */
    static Expr compile(String source, Set<String> pathParameters) throws ExprException {
        if (source.length() > MAX_LENGTH) {
            throw new ExprException(MAX_LENGTH + 1, "an expression of at most " + MAX_LENGTH + " characters");
        }
        if (source.isBlank()) {
            throw new ExprException(1, "an expression");
        }
        ExprParser p = new ExprParser(lex(source), pathParameters);
        Expr e = p.or();
        Token t = p.peek();
        if (t.kind != Kind.END) {
            throw new ExprException(t.column, "'and', 'or' or the end of the expression");
        }
        return e;
    }

    // ---- lexer

    private static List<Token> lex(String s) throws ExprException {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            int col = i + 1;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
            } else if (c == '\'' || c == '"') {
                StringBuilder b = new StringBuilder();
                int j = i + 1;
                while (true) {
                    if (j >= s.length()) {
                        throw new ExprException(col, "a closing " + c + " for the string that starts here");
                    }
                    char d = s.charAt(j);
                    if (d == c) {
                        break;
                    }
                    if (d == '\\') {
                        char e = j + 1 < s.length() ? s.charAt(j + 1) : 0;
                        if (e != '\\' && e != '\'' && e != '"') {
                            throw new ExprException(j + 1, "an escape \\\\, \\' or \\\"");
                        }
                        b.append(e);
                        j += 2;
                        continue;
                    }
                    if (Character.isISOControl(d)) {
                        throw new ExprException(j + 1, "no control character inside a string");
                    }
                    b.append(d);
                    j++;
                }
                out.add(new Token(Kind.STRING, s.substring(i, j + 1), b.toString(), col));
                i = j + 1;
            } else if (isDigit(c) || c == '-' && i + 1 < s.length() && isDigit(s.charAt(i + 1))) {
                int j = i + 1;
                while (j < s.length() && isDigit(s.charAt(j))) {
                    j++;
                }
                if (j + 1 < s.length() && s.charAt(j) == '.' && isDigit(s.charAt(j + 1))) {
                    j++;
                    while (j < s.length() && isDigit(s.charAt(j))) {
                        j++;
                    }
                }
                String text = s.substring(i, j);
                out.add(new Token(Kind.NUMBER, text, number(text, col), col));
                i = j;
            } else if (isIdentStart(c)) {
                int j = i + 1;
                while (j < s.length() && isIdentPart(s.charAt(j))) {
                    j++;
                }
                String text = s.substring(i, j);
                out.add(new Token(Kind.IDENT, text, text, col));
                i = j;
            } else {
                Kind kind = null;
                String op = null;
                switch (c) {
                    case '.' -> kind = Kind.DOT;
                    case ',' -> kind = Kind.COMMA;
                    case '(' -> kind = Kind.LPAREN;
                    case ')' -> kind = Kind.RPAREN;
                    case '[' -> kind = Kind.LBRACKET;
                    case ']' -> kind = Kind.RBRACKET;
                    case '=', '!' -> {
                        if (i + 1 < s.length() && s.charAt(i + 1) == '=') {
                            op = c + "=";
                        }
                    }
                    case '<', '>' -> op = i + 1 < s.length() && s.charAt(i + 1) == '=' ? c + "=" : String.valueOf(c);
                    default -> {}
                }
                if (kind != null) {
                    out.add(new Token(kind, String.valueOf(c), null, col));
                    i++;
                } else if (op != null) {
                    out.add(new Token(Kind.OPERATOR, op, op, col));
                    i += op.length();
                } else {
                    throw new ExprException(
                            col,
                            c == '='
                                    ? "'==' (comparison), not '='"
                                    : c == '&' || c == '|'
                                            ? "'and' or 'or' instead of '" + c + "'"
                                            : "a string, number, name, operator or bracket");
                }
            }
        }
        out.add(new Token(Kind.END, "", null, s.length() + 1));
        return out;
    }

    private static Number number(String text, int column) throws ExprException {
        if (text.length() > 30) {
            throw new ExprException(column, "a number of at most 30 characters");
        }
        if (text.indexOf('.') < 0) {
            try {
                return Long.parseLong(text);
            } catch (NumberFormatException e) {
                throw new ExprException(column, "an integer between " + Long.MIN_VALUE + " and " + Long.MAX_VALUE);
            }
        }
        return Double.parseDouble(text);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isIdentStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_';
    }

    /** '-' is part of a name so that {@code header.X-Tenant-Id} reads as one; the language has no subtraction. */
    private static boolean isIdentPart(char c) {
        return isIdentStart(c) || isDigit(c) || c == '-';
    }

    // ---- parser

    private Token peek() {
        return tokens.get(pos);
    }

    private Token next() {
        return tokens.get(pos++);
    }

    private boolean atKeyword(String word) {
        Token t = peek();
        return t.kind == Kind.IDENT && t.text.equals(word);
    }

    private void enter(Token at) throws ExprException {
        if (++depth > MAX_DEPTH) {
            throw new ExprException(at.column, "at most " + MAX_DEPTH + " levels of nesting");
        }
    }

    private Expr or() throws ExprException {
        Expr left = and();
        while (atKeyword("or")) {
            next();
            Expr l = left;
            Expr r = and();
            left = env -> Expr.isTrue(l.eval(env)) || Expr.isTrue(r.eval(env));
        }
        return left;
    }

    private Expr and() throws ExprException {
        Expr left = unary();
        while (atKeyword("and")) {
            next();
            Expr l = left;
            Expr r = unary();
            left = env -> Expr.isTrue(l.eval(env)) && Expr.isTrue(r.eval(env));
        }
        return left;
    }

    private Expr unary() throws ExprException {
        if (atKeyword("not")) {
            Token t = next();
            enter(t);
            Expr inner = unary();
            depth--;
            // Only a boolean is negated: "not claims.missing" is false, not true.
            return env -> inner.eval(env) instanceof Boolean b ? !b : Boolean.FALSE;
        }
        return compare();
    }

    private Expr compare() throws ExprException {
        Expr l = operand();
        Token t = peek();
        String op = null;
        if (t.kind == Kind.OPERATOR) {
            op = t.text;
        } else if (t.kind == Kind.IDENT
                && (t.text.equals("in") || t.text.equals("contains") || t.text.equals("startsWith"))) {
            op = t.text;
        }
        if (op == null) {
            return l;
        }
        next();
        Expr r = operand();
        return switch (op) {
            case "==" -> env -> Expr.equal(l.eval(env), r.eval(env));
            case "!=" -> env -> Expr.notEqual(l.eval(env), r.eval(env));
            case "<" -> env -> ordered(l.eval(env), r.eval(env), c -> c < 0);
            case "<=" -> env -> ordered(l.eval(env), r.eval(env), c -> c <= 0);
            case ">" -> env -> ordered(l.eval(env), r.eval(env), c -> c > 0);
            case ">=" -> env -> ordered(l.eval(env), r.eval(env), c -> c >= 0);
            case "in" -> env -> Expr.holds(r.eval(env), l.eval(env));
            case "contains" -> env -> contains(l.eval(env), r.eval(env));
            default -> env -> l.eval(env) instanceof String a && r.eval(env) instanceof String b && a.startsWith(b);
        };
    }

    private interface Test {
        boolean test(int comparison);
    }

    private static Boolean ordered(Object a, Object b, Test test) {
        if (a instanceof Number x && b instanceof Number y) {
            int c = Expr.compare(x, y);
            return c != Expr.NOT_COMPARABLE && test.test(c);
        }
        return Boolean.FALSE;
    }

    private static Boolean contains(Object a, Object b) {
        if (a instanceof String s) {
            return b instanceof String t && s.contains(t);
        }
        return Expr.holds(a, b);
    }

    private Expr operand() throws ExprException {
        Token t = next();
        switch (t.kind) {
            case STRING, NUMBER -> {
                return new Literal(t.value);
            }
            case LPAREN -> {
                enter(t);
                Expr inner = or();
                depth--;
                expect(Kind.RPAREN, "')' to close the '(' at column " + t.column);
                return inner;
            }
            case LBRACKET -> {
                enter(t);
                List<Expr> items = new ArrayList<>();
                if (peek().kind != Kind.RBRACKET) {
                    items.add(operand());
                    while (peek().kind == Kind.COMMA) {
                        next();
                        items.add(operand());
                    }
                }
                depth--;
                expect(Kind.RBRACKET, "',' or ']' to close the list at column " + t.column);
                return list(items);
            }
            case IDENT -> {
                return switch (t.text) {
                    case "true" -> new Literal(Boolean.TRUE);
                    case "false" -> new Literal(Boolean.FALSE);
                    case "null" -> new Literal(null);
                    default -> {
                        if (KEYWORDS.contains(t.text)) {
                            throw new ExprException(t.column, "a value or reference, not the keyword '" + t.text + "'");
                        }
                        yield reference(t);
                    }
                };
            }
            default ->
                throw new ExprException(
                        t.column,
                        t.kind == Kind.END
                                ? "a value or reference before the end of the expression"
                                : "a value or reference, not '" + t.text + "'");
        }
    }

    private static Expr list(List<Expr> items) {
        if (items.stream().allMatch(Literal.class::isInstance)) {
            // A list of literals is built once, at load: no allocation per request.
            List<Object> values = new ArrayList<>(items.size());
            for (Expr e : items) {
                values.add(((Literal) e).value());
            }
            return new Literal(Collections.unmodifiableList(values));
        }
        return env -> {
            List<Object> values = new ArrayList<>(items.size());
            for (Expr e : items) {
                values.add(e.eval(env));
            }
            return values;
        };
    }

    private void expect(Kind kind, String what) throws ExprException {
        Token t = peek();
        if (t.kind != kind) {
            throw new ExprException(t.column, what);
        }
        next();
    }

    /** Reads the accessor chain after a root name and compiles it to one closure. */
    private Expr reference(Token root) throws ExprException {
        List<String> segments = new ArrayList<>();
        while (peek().kind == Kind.DOT || peek().kind == Kind.LBRACKET) {
            Token t = next();
            if (t.kind == Kind.DOT) {
                Token name = next();
                if (name.kind != Kind.IDENT) {
                    throw new ExprException(name.column, "a name after '.'");
                }
                segments.add(name.text);
            } else {
                Token name = next();
                if (name.kind != Kind.STRING) {
                    throw new ExprException(name.column, "a quoted name inside [...], such as ['tenant-id']");
                }
                segments.add((String) name.value);
                expect(Kind.RBRACKET, "']' after the quoted name");
            }
        }
        String r = root.text;
        return switch (r) {
            case "claims" -> claims(root, segments);
            case "path" -> path(root, one(root, segments, "a path parameter name, such as path.userId"));
            case "query" -> query(one(root, segments, "a query parameter name, such as query.tenant"));
            case "header" -> header(one(root, segments, "a header name, such as header.X-Tenant-Id"));
            case "principal" -> principal(root, one(root, segments, "principal.subject, .consumer or .scopes"));
            case "operation" -> operation(root, one(root, segments, "operation.id or operation.tags"));
            case "method" -> {
                if (!segments.isEmpty()) {
                    throw new ExprException(root.column, "'method' without a field");
                }
                yield env -> env.exchange().method();
            }
            default -> {
                String near = Suggestions.closest(r, ROOTS);
                throw new ExprException(
                        root.column,
                        "a reference starting with " + String.join(", ", ROOTS) + ", or a quoted string"
                                + (near != null ? "; did you mean '" + near + "'?" : ""));
            }
        };
    }

    private static String one(Token root, List<String> segments, String expected) throws ExprException {
        if (segments.size() != 1) {
            throw new ExprException(root.column, expected);
        }
        return segments.get(0);
    }

    private static Expr claims(Token root, List<String> segments) throws ExprException {
        if (segments.isEmpty()) {
            throw new ExprException(root.column, "a claim name, such as claims.tenant or claims['tenant-id']");
        }
        String[] names = segments.toArray(String[]::new);
        return env -> {
            Object v = env.principal() == null ? null : env.principal().claims();
            for (String n : names) {
                if (!(v instanceof Map<?, ?> m)) {
                    return null;
                }
                v = m.get(n);
            }
            return v instanceof Map<?, ?> ? null : v;
        };
    }

    private Expr path(Token root, String name) throws ExprException {
        if (pathParameters != null && !pathParameters.contains(name)) {
            String near = Suggestions.closest(name, pathParameters);
            throw new ExprException(
                    root.column,
                    "a path parameter of the route's operations"
                            + (pathParameters.isEmpty()
                                    ? " (they have none)"
                                    : ": " + String.join(", ", pathParameters))
                            + (near != null ? "; did you mean '" + near + "'?" : ""));
        }
        return env -> {
            OperationMatch m = env.match();
            return m == null ? null : m.pathParameters().get(name);
        };
    }

    /**
     * The parameter's value, percent-decoded ({@code +} as a space). A parameter sent more than once reads as
     * missing: the upstream may take another copy than the gateway (parameter pollution), so no rule may pass on it.
     */
    private static Expr query(String name) {
        return env -> queryValue(env.exchange().query(), name);
    }

    static String queryValue(String query, String name) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        String found = null;
        int start = 0;
        while (start <= query.length()) {
            int end = query.indexOf('&', start);
            if (end < 0) {
                end = query.length();
            }
            int eq = query.indexOf('=', start);
            int nameEnd = eq >= 0 && eq < end ? eq : end;
            String n = decode(query.substring(start, nameEnd));
            if (name.equals(n)) {
                if (found != null) {
                    return null;
                }
                String v = nameEnd < end ? decode(query.substring(nameEnd + 1, end)) : "";
                if (v == null) {
                    return null;
                }
                found = v;
            }
            start = end + 1;
        }
        return found;
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The header's value; a header sent more than once reads as missing, for the same reason as a query value. */
    private static Expr header(String name) {
        return env -> {
            List<String> all = env.exchange().requestHeaders().getAll(name);
            return all.size() == 1 ? all.get(0) : null;
        };
    }

    private static Expr principal(Token root, String field) throws ExprException {
        return switch (field) {
            case "subject" ->
                env -> env.principal() == null ? null : env.principal().subject();
            case "consumer" ->
                env -> env.principal() == null ? null : env.principal().consumerId();
            case "scopes" ->
                env -> env.principal() == null
                        ? null
                        : (Collection<?>) env.principal().scopes();
            default -> throw unknownField(root, "principal", field, PRINCIPAL_FIELDS);
        };
    }

    private static Expr operation(Token root, String field) throws ExprException {
        return switch (field) {
            case "id" ->
                env -> env.match() == null ? null : env.match().operation().id();
            case "tags" ->
                env -> env.match() == null
                        ? null
                        : (Collection<?>) env.match().operation().tags();
            default -> throw unknownField(root, "operation", field, OPERATION_FIELDS);
        };
    }

    private static ExprException unknownField(Token root, String name, String field, List<String> fields) {
        String near = Suggestions.closest(field, fields);
        return new ExprException(
                root.column,
                "one of " + name + "." + String.join(", " + name + ".", fields)
                        + (near != null ? "; did you mean '" + name + "." + near + "'?" : ""));
    }
}
