package io.bulwark.policies.openapi;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * Runs every regular expression of a spec ({@code pattern}, {@code patternProperties}, the {@code regex} format) on
 * RE2/J, whose matching time is linear in the input: a spec author's {@code ^(a+)+$} cannot turn a request into a
 * denial of service. The validator's factory hook lets us swap the engine instead of disabling its pattern keyword.
 * RE2 has no backreferences and no lookaround: a spec using them fails at config load, with the pattern named.
 *
 * <p>JSON Schema patterns are not anchored (ECMA-262 {@code test} semantics), hence {@code find()}.
 */
final class Re2RegularExpressionFactory implements RegularExpressionFactory {
    static final Re2RegularExpressionFactory INSTANCE = new Re2RegularExpressionFactory();

    private Re2RegularExpressionFactory() {}

    @Override
    public RegularExpression getRegularExpression(String regex) {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new UnsupportedPatternException(regex, e);
        }
        return input -> pattern.matcher(input).find();
    }

    /** A pattern RE2 cannot run (backreferences, lookaround) or that is not a regular expression at all. */
    static final class UnsupportedPatternException extends IllegalArgumentException {
        private final String pattern;

        UnsupportedPatternException(String pattern, Throwable cause) {
            super("pattern '" + pattern + "' is not supported by RE2 (no backreferences, no lookaround)", cause);
            this.pattern = pattern;
        }

        String pattern() {
            return pattern;
        }
    }
}
