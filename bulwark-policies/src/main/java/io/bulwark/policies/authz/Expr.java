package io.bulwark.policies.authz;

import io.bulwark.api.Exchange;
import io.bulwark.api.OperationMatch;
import io.bulwark.api.Principal;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;

/**
 * A compiled expression of the rule language: a closure over the request, built once at load by {@link ExprParser}.
 * Evaluation never throws: a missing value is {@code null}, and every operator answers {@code false} when an operand
 * is missing or of the wrong type, so a malformed token can only make a rule fail, never pass.
 */
@FunctionalInterface
interface Expr {
    /** The value: String, Number, Boolean, a Collection, or null when missing. */
    Object eval(Env env);

    /** What an expression reads. {@code match} is null when the request matched no operation. */
    record Env(Exchange exchange, Principal principal, OperationMatch match) {}

    /** True only for the boolean {@code true}: anything else (a string, a missing claim) fails the rule. */
    static boolean isTrue(Object value) {
        return Boolean.TRUE.equals(value);
    }

    /**
     * Equality without coercion: two strings, two numbers (compared by value, so 42 equals 42.0) or two booleans.
     * A missing value or a type mismatch (the number 42 against the string "42") is never equal.
     */
    static boolean equal(Object a, Object b) {
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof String s && b instanceof String t) {
            return s.equals(t);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return x.equals(y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            int c = compare(x, y);
            return c == 0;
        }
        return false;
    }

    /** True when both are non-null scalars of the same type that differ; false when missing or mismatched. */
    static boolean notEqual(Object a, Object b) {
        boolean sameType = a instanceof String && b instanceof String
                || a instanceof Boolean && b instanceof Boolean
                || a instanceof Number && b instanceof Number && compare((Number) a, (Number) b) != NOT_COMPARABLE;
        return sameType && !equal(a, b);
    }

    /** {@link #compare} answers this when a number is NaN or infinite. */
    int NOT_COMPARABLE = Integer.MIN_VALUE;

    /** Compares two numbers by value, or answers {@link #NOT_COMPARABLE}. */
    static int compare(Number a, Number b) {
        if (isIntegral(a) && isIntegral(b)) {
            return Long.compare(a.longValue(), b.longValue());
        }
        BigDecimal x = decimal(a);
        BigDecimal y = decimal(b);
        if (x == null || y == null) {
            return NOT_COMPARABLE;
        }
        return Integer.signum(x.compareTo(y));
    }

    private static boolean isIntegral(Number n) {
        return n instanceof Long || n instanceof Integer || n instanceof Short || n instanceof Byte;
    }

    private static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger i) {
            return new BigDecimal(i);
        }
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
        }
        return BigDecimal.valueOf(n.longValue());
    }

    /** Whether a collection holds an element equal (as {@link #equal}) to the value. */
    static boolean holds(Object collection, Object value) {
        if (!(collection instanceof Collection<?> c) || value == null || value instanceof Collection<?>) {
            return false;
        }
        if (value instanceof String && c.contains(value)) {
            return true;
        }
        for (Object e : c) {
            if (equal(e, value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The canonical string form of a scalar, for object ownership checks that compare ids written as numbers on one
     * side and strings on the other: 42, 42.0 and "42" all read "42". Null for anything but a string, number or
     * boolean.
     */
    static String canonical(Object value) {
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof Boolean b) {
            return b.toString();
        }
        if (value instanceof Number n) {
            if (isIntegral(n) || n instanceof BigInteger) {
                return n.toString();
            }
            BigDecimal d = decimal(n);
            if (d == null) {
                return null;
            }
            d = d.stripTrailingZeros();
            if (d.precision() - d.scale() > 64 || d.scale() > 64) {
                // 1e999999999 is short to send and huge to print: no id looks like that.
                return null;
            }
            return d.scale() <= 0 ? d.toBigIntegerExact().toString() : d.toPlainString();
        }
        return null;
    }
}
