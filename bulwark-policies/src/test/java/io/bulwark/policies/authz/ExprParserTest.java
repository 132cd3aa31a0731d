package io.bulwark.policies.authz;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.api.Attributes;
import io.bulwark.api.OperationMatch;
import io.bulwark.api.Principal;
import io.bulwark.policies.TestExchange;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExprParserTest {
    private static final Principal ALICE = AuthzFixtures.principal(
            "alice",
            Set.of("orders:read", "admin"),
            Map.of(
                    "tenant",
                    "acme",
                    "level",
                    3L,
                    "ratio",
                    0.5,
                    "roles",
                    List.of("user", "auditor"),
                    "org",
                    Map.of("id", "o-1", "tier", "gold"),
                    "tenant-id",
                    "t-9",
                    "verified",
                    true));

    private static Expr.Env env() {
        TestExchange ex = TestExchange.request("GET", "/api/v2/orders/7")
                .header("X-Tenant-Id", "acme")
                .query("tenant=acme&q=a+b%21&bad=%zz");
        OperationMatch match = new OperationMatch(AuthzFixtures.GET_ORDER, Map.of("orderId", "7"));
        ex.attribute(Attributes.OPERATION, match);
        return new Expr.Env(ex, ALICE, match);
    }

    private static Object eval(String source) throws Exception {
        return ExprParser.compile(source, Set.of("orderId", "userId")).eval(env());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            claims.tenant == 'acme'                          | true
            claims.tenant == "acme"                          | true
            claims.tenant != 'globex'                        | true
            claims['tenant-id'] == 't-9'                     | true
            claims.tenant-id == 't-9'                        | true
            claims.org.tier == 'gold'                        | true
            claims['org']['id'] == 'o-1'                     | true
            claims.level >= 3 and claims.level < 4           | true
            claims.level == 3.0                              | true
            claims.ratio < 1                                 | true
            'auditor' in claims.roles                        | true
            claims.roles contains 'user'                     | true
            claims.tenant contains 'cm'                      | true
            claims.tenant startsWith 'ac'                    | true
            'admin' in principal.scopes                      | true
            principal.subject == 'alice'                     | true
            principal.consumer == 'alice'                    | true
            operation.id in ['getOrder', 'listOrders']       | true
            'orders' in operation.tags                       | true
            method == 'GET'                                  | true
            path.orderId == '7'                              | true
            header.x-tenant-id == claims.tenant              | true
            query.tenant == 'acme'                           | true
            query.q == 'a b!'                                | true
            claims.verified                                  | true
            claims.verified == true                          | true
            not (claims.tenant == 'globex')                  | true
            claims.tenant == 'x' or (claims.level > 2 and not false) | true
            [1, 2, 3] contains 2                             | true
            """)
    void evaluates(String source, boolean expected) throws Exception {
        assertThat(eval(source)).isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            claims.level == '3'
            claims.tenant == 3
            claims.roles == 'user'
            'user' == claims.roles
            claims.missing == claims.also_missing
            claims.missing != 'x'
            claims.missing == null
            claims.tenant < 'b'
            claims.level < '4'
            'acme' in claims.tenant
            claims.org == 'o-1'
            claims.roles startsWith 'u'
            not claims.missing
            not claims.tenant
            claims.tenant and true
            query.bad == '%zz'
            query.absent == ''
            path.userId == '7'
            header.X-Missing == ''
            claims.level contains 3
            """)
    void type_confusion_and_missing_values_evaluate_to_false(String source) throws Exception {
        assertThat(Expr.isTrue(eval(source))).as(source).isFalse();
    }

    @Test
    void never_throws_at_request_time_without_operation_or_principal() throws Exception {
        Expr e = ExprParser.compile(
                "path.orderId == '7' or operation.id == 'x' or claims.a.b == 1 or principal.subject == 'a'"
                        + " or 'x' in operation.tags or principal.scopes contains 'y'",
                null);
        assertThat(e.eval(new Expr.Env(TestExchange.request("GET", "/"), null, null)))
                .isEqualTo(false);
    }

    private static ExprParser.ExprException failure(String source) {
        Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                () -> ExprParser.compile(source, Set.of("orderId", "userId")));
        assertThat(t).as(source).isInstanceOf(ExprParser.ExprException.class);
        return (ExprParser.ExprException) t;
    }

    @Test
    void rejects_an_unterminated_string_with_its_column() {
        ExprParser.ExprException e = failure("claims.tenant == 'acme");
        assertThat(e.column()).isEqualTo(18);
        assertThat(e.expected()).contains("closing '");
    }

    @Test
    void rejects_ten_thousand_nested_parentheses_without_overflowing_the_stack() {
        String deep = "(".repeat(10_000) + "true" + ")".repeat(10_000);
        assertThat(failure(deep).expected()).contains("an expression of at most 2048 characters");
        String deepButShort = "(".repeat(1000) + "true" + ")".repeat(1000);
        ExprParser.ExprException e = failure(deepButShort);
        assertThat(e.expected()).contains("at most 32 levels of nesting");
        assertThat(e.column()).isEqualTo(33);
        assertThat(failure("not ".repeat(40) + "true").expected()).contains("nesting");
        assertThat(failure("[".repeat(40) + "]".repeat(40)).expected()).contains("nesting");
    }

    @Test
    void rejects_an_expression_over_two_kibibytes() {
        String big = "claims.a == 'x' or ".repeat(160) + "true";
        assertThat(big.length()).isGreaterThan(3000);
        assertThat(failure(big).expected()).contains("at most 2048 characters");
    }

    @Test
    void rejects_unknown_references_with_a_suggestion() {
        assertThat(failure("claim.tenant == 'x'").expected()).contains("did you mean 'claims'");
        assertThat(failure("principal.sub == 'x'").expected()).contains("principal.subject");
        assertThat(failure("operation.name == 'x'").expected()).contains("operation.id");
        assertThat(failure("path.orderID == '7'").expected()).contains("did you mean 'orderId'");
        assertThat(failure("claims == 'x'").expected()).contains("claim name");
        assertThat(failure("method.name == 'GET'").expected()).contains("'method' without a field");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            claims.a = 'x'           | 10 | '=='
            claims.a == 'x' && true  | 17 | 'and'
            claims.a ==              | 12 | a value or reference
            (claims.a == 'x'         | 17 | ')'
            claims.a == 'x')         | 16 | the end of the expression
            claims.a == 'x' 'y'      | 17 | the end of the expression
            claims['a == 'x'         | 16 | closing '
            claims[a] == 'x'         | 8  | a quoted name
            claims.a == 'x\\n'       | 15 | an escape
            in == 'x'                | 1  | keyword 'in'
            claims.a == 99999999999999999999 | 13 | an integer
            claims. == 'x'           | 9  | a name after '.'
            $x == 1                  | 1  | a string, number
            ()                       | 2  | a value or reference, not ')'
            """)
    void reports_the_column_and_what_was_expected(String source, int column, String expected) {
        ExprParser.ExprException e = failure(source);
        assertThat(e.column()).as(source).isEqualTo(column);
        assertThat(e.expected()).as(source).contains(expected);
    }

    @Test
    void rejects_a_blank_expression() {
        assertThat(failure("   ").expected()).isEqualTo("an expression");
    }

    @Test
    void reads_any_path_parameter_when_the_route_has_no_spec() throws Exception {
        Expr e = ExprParser.compile("path.anything == 'x'", null);
        assertThat(e.eval(env())).isEqualTo(false);
    }
}
