package io.bulwark.inspect;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * SQL injection, recognised by the shape of the value rather than by words in it (the libinjection idea). Each
 * form of a value is tokenized ({@link SqlTokenizer}) in three contexts: as is (a numeric or bare injection point),
 * and as if it continued a single-quoted or a double-quoted string literal (the value was pasted between quotes).
 * The token classes are folded (runs of parentheses, {@code UNION ALL}, {@code ORDER BY}, aliases, a leading sign)
 * into a fingerprint such as {@code s&1=1c} for {@code 1' or 1=1--}, which is matched against a compiled set of
 * attack shapes: some must start the fingerprint (the break-out from the literal followed by SQL), some may
 * occur anywhere ({@code UNION SELECT}, a stacked statement, a time-delay call).
 *
 * <p>Free text rarely tokenizes into these shapes: "O'Brien" is a string then a bareword, "select a size" is a
 * keyword then barewords, "1-2 days" is a number, an operator, a number and a bareword. Weaker shapes (a lone
 * {@code '--}, keyword pairs in text) count only at paranoia 2 or 3.
 *
 * <p>Work: one tokenizing pass per context, one fold pass, and a trie walk of bounded depth from each token, so
 * linear in the value's length.
 */
public final class SqliDetector implements Detector {
    private static final char[] CONTEXTS = {0, '\'', '"'};

    /** A shape that matched: its level, confidence and a name that tests can read. */
    record Rule(String shape, int paranoia, double confidence) {}

    private static final Trie LEADING = new Trie();
    private static final Trie ANYWHERE = new Trie();

    // Shape syntax: token classes as in SqlTokenizer, [..] one of several classes, '?' after a class or a bracket
    // makes it optional, '$' at the end means the end of the value. P stands for the break-out prefix: a closed
    // string, a number or a bareword, optionally followed by ')'.
    static {
        // --- Break-out then a tautology or a boolean condition: ' or 1=1, 1 and 'a'='a, ') or ('x'='x.
        lead("P&[1snv]=", 1, 0.95);
        lead("P&([1snv]=", 1, 0.95);
        lead("P&[fFC](", 1, 0.9);
        lead("P&(E", 1, 0.95);
        lead("P&o[1(]", 1, 0.85);
        lead("P&1[&c;)]", 1, 0.85);
        lead("s)?&s&", 1, 0.8);
        lead("P&v", 1, 0.85);
        lead("P&n=", 2, 0.7);
        lead("P&1$", 3, 0.5);
        lead("s)?&n", 3, 0.4);
        // --- Break-out then UNION, a stacked statement, a clause.
        lead("PU[E(]", 1, 0.99);
        lead("P;[ET]", 1, 0.95);
        lead(";[ET]", 1, 0.9);
        lead("P;c", 2, 0.6);
        lead("Pk[1sn(]=", 1, 0.9);
        lead("PB[1n]", 1, 0.85);
        lead("Pk1", 2, 0.6);
        lead("PT", 1, 0.9);
        lead("P=(E", 1, 0.95);
        lead("P,(E", 1, 0.95);
        lead("P(E", 1, 0.9);
        lead("Po(E", 1, 0.95);
        lead("Po[FC](", 1, 0.9);
        lead("s)?of(", 1, 0.8);
        lead("s)?=s$", 1, 0.8);
        lead("s)?=s&", 1, 0.85);
        lead("s)?=nn)[&B=;]", 1, 0.85); // ' in boolean mode) or ...
        lead("P;[fF](", 1, 0.85);
        lead("P,[fF](1=", 1, 0.85);
        lead("P&1B", 1, 0.85);
        lead("(1=1)o1", 1, 0.8);
        lead("s)?=[1n(]", 3, 0.4);
        // --- Comment after a closed literal: admin'-- (weaker alone: a stray quote and dashes occur in text).
        lead("s)?c", 2, 0.7);
        lead("[1n])c", 2, 0.6);
        lead("[1n]c", 3, 0.4);
        // --- The value starts with a call or a statement: iif(1=1,..), (select ...), select * from.
        lead("[fFC](1=", 1, 0.85);
        lead("[fFC]((E", 1, 0.9);
        lead("(E[1o(fFCvnS]", 2, 0.7);

        // Anywhere in the fingerprint.
        any("U[E(]", 1, 0.95);
        any("U(E", 1, 0.95);
        // sleep(5), benchmark(5000000,..), char(113), extractvalue(1,..); not "I can't sleep (again)".
        any("[FC](1[),o1]", 1, 0.9);
        any("[FC]($", 2, 0.6); // a call left open at the end of the value: "benchmark("
        any("f($", 3, 0.4);
        any("E[FC](", 1, 0.9);
        any("[Ek]F", 1, 0.9); // exec xp_cmdshell, into outfile
        any("F", 2, 0.6);
        any("E1,1,", 2, 0.6);
        any("Ev", 2, 0.6); // declare @x
        any("Ekn[n1s]", 2, 0.6); // alter table x add ...
        any("[FC]([sv(fFCE]", 1, 0.9);
        any("[FC](1", 2, 0.7);
        any("[FC](n", 3, 0.4);
        any("Tks", 1, 0.95);
        any("Tk", 2, 0.7);
        any(";[ET][1o(fFCvkS]", 1, 0.9);
        any(";En", 3, 0.5);
        any("Eor", 1, 0.95);
        any("E1r", 1, 0.9);
        any("E[fF](", 2, 0.6);
        any("Ef(o)r", 1, 0.9);
        any("E[nv]r[nS]k", 1, 0.85);
        any("E[nv]rS", 1, 0.9);
        any("rS", 1, 0.9);
        any("E[nv]r", 2, 0.6);
        any("E[nv]nr", 3, 0.4);
        any("Ekn[;c(]", 1, 0.85); // drop table users; insert into t(...)
        any("Ekn$", 2, 0.6); // "drop table tennis" is text too
        any("&1=1", 2, 0.7);
        any("kk(?1=1)?k", 1, 0.9); // CASE WHEN 1=1 THEN
        any("Es&(E", 1, 0.9);
        any("&s=s", 2, 0.7);
        any("(E", 3, 0.4);
        any("S", 3, 0.4);
    }

    public SqliDetector() {}

    @Override
    public Category category() {
        return Category.SQLI;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {
        Match best = null;
        for (String form : value.forms()) {
            Match m = match(form);
            if (m != null && (best == null || m.better(best))) {
                best = m;
            }
        }
        if (best != null) {
            findings.accept(new Finding(
                    Category.SQLI, best.rule.confidence(), value.location(), best.evidence, best.rule.paranoia()));
        }
    }

    /** The best match of one form over the three contexts, or null. */
    static Match match(String form) {
        Match best = null;
        for (char quote : CONTEXTS) {
            if (quote != 0 && form.indexOf(quote) < 0) {
                continue; // no closing quote: the whole value would be one string, which is harmless
            }
            SqlTokenizer.Tokens t = fold(SqlTokenizer.tokenize(form, quote), form);
            Match m = match(t, form);
            if (m != null && (best == null || m.better(best))) {
                best = m;
            }
        }
        return best;
    }

    /** The matched rule, with the evidence (the matched part of the value). */
    record Match(Rule rule, String evidence, String fingerprint) {
        boolean better(Match other) {
            return rule.paranoia() < other.rule.paranoia()
                    || (rule.paranoia() == other.rule.paranoia() && rule.confidence() > other.rule.confidence());
        }
    }

    private static Match match(SqlTokenizer.Tokens t, String form) {
        Match best = null;
        int[] end = new int[1];
        Rule r = LEADING.longest(t, 0, end);
        if (r != null) {
            best = match(r, t, 0, end[0], form);
        }
        for (int i = 0; i < t.size; i++) {
            if (best != null && best.rule.paranoia() == 1) {
                break;
            }
            Rule a = ANYWHERE.longest(t, i, end);
            if (a != null) {
                Match m = match(a, t, i, end[0], form);
                if (best == null || m.better(best)) {
                    best = m;
                }
            }
        }
        return best;
    }

    private static Match match(Rule r, SqlTokenizer.Tokens t, int from, int to, String form) {
        int s = t.start[from];
        int e = to > from ? t.end[to - 1] : s;
        String fp = t.fingerprint();
        return new Match(r, form.substring(s, Math.max(s, e)), fp.substring(0, Math.min(fp.length(), 16)));
    }

    // ---- folding -----------------------------------------------------------------------------------------------

    /**
     * Folds token runs that do not change the shape of a statement, so that one shape covers its variants: runs
     * of '(' or ')', a sign before a leading number, {@code UNION ALL|DISTINCT}, {@code ORDER|GROUP BY}, {@code AS
     * alias}, adjacent string literals.
     */
    static SqlTokenizer.Tokens fold(SqlTokenizer.Tokens in, String s) {
        SqlTokenizer.Tokens out = new SqlTokenizer.Tokens();
        int i = 0;
        if (in.size >= 2 && in.type[0] == 'o' && in.type[1] == '1') {
            char sign = s.charAt(in.start[0]);
            if (sign == '-' || sign == '+') {
                i = 1;
            }
        }
        for (; i < in.size; i++) {
            char c = in.type[i];
            int last = out.size - 1;
            char prev = last >= 0 ? out.type[last] : 0;
            if ((c == '(' || c == ')') && prev == c) {
                out.end[last] = in.end[i];
                continue;
            }
            if (c == 's' && prev == 's') {
                out.end[last] = in.end[i];
                continue;
            }
            if (c == 'k' && prev == 'U' && (is(s, in, i, "all") || is(s, in, i, "distinct"))) {
                out.end[last] = in.end[i];
                continue;
            }
            if (c == 'n'
                    && prev == 'n'
                    && is(s, in, i, "by")
                    && (isOut(s, out, last, "order") || isOut(s, out, last, "group"))) {
                out.type[last] = 'B';
                out.end[last] = in.end[i];
                continue;
            }
            if (c == 'k' && is(s, in, i, "as") && i + 1 < in.size && in.type[i + 1] == 'n') {
                i++; // "AS alias" says nothing about the attack
                continue;
            }
            out.add(c, in.start[i], in.end[i]);
        }
        return out;
    }

    private static boolean is(String s, SqlTokenizer.Tokens t, int i, String word) {
        return t.end[i] - t.start[i] == word.length() && s.regionMatches(true, t.start[i], word, 0, word.length());
    }

    private static boolean isOut(String s, SqlTokenizer.Tokens t, int i, String word) {
        return is(s, t, i, word);
    }

    // ---- shapes ------------------------------------------------------------------------------------------------

    private static void lead(String shape, int paranoia, double confidence) {
        add(LEADING, shape, new Rule(shape, paranoia, confidence));
    }

    private static void any(String shape, int paranoia, double confidence) {
        add(ANYWHERE, shape, new Rule(shape, paranoia, confidence));
    }

    private static void add(Trie trie, String shape, Rule rule) {
        for (String concrete : expand(shape.replace("P", "[s1n])?"))) {
            trie.put(concrete, rule);
        }
    }

    /** All concrete fingerprints of a shape (classes and optionals expanded). */
    static List<String> expand(String shape) {
        List<String> acc = new ArrayList<>();
        acc.add("");
        int i = 0;
        while (i < shape.length()) {
            String options;
            char c = shape.charAt(i);
            if (c == '[') {
                int close = shape.indexOf(']', i);
                options = shape.substring(i + 1, close);
                i = close + 1;
            } else {
                options = String.valueOf(c);
                i++;
            }
            boolean optional = i < shape.length() && shape.charAt(i) == '?';
            if (optional) {
                i++;
            }
            List<String> next = new ArrayList<>();
            for (String a : acc) {
                if (optional) {
                    next.add(a);
                }
                for (char o : options.toCharArray()) {
                    next.add(a + o);
                }
            }
            acc = next;
        }
        return acc;
    }

    /** Token-class trie; a rule at a node matches that prefix, an end rule only at the end of the value. */
    static final class Trie {
        final Trie[] next = new Trie[128];
        Rule rule;
        Rule endRule;

        void put(String fp, Rule r) {
            Trie node = this;
            for (int i = 0; i < fp.length(); i++) {
                char c = fp.charAt(i);
                if (c == '$') {
                    node.endRule = stronger(node.endRule, r);
                    return;
                }
                if (node.next[c] == null) {
                    node.next[c] = new Trie();
                }
                node = node.next[c];
            }
            node.rule = stronger(node.rule, r);
        }

        private static Rule stronger(Rule a, Rule b) {
            if (a == null) {
                return b;
            }
            return b.paranoia() < a.paranoia() || (b.paranoia() == a.paranoia() && b.confidence() > a.confidence())
                    ? b
                    : a;
        }

        /** The strongest rule on the path from token {@code from}; {@code end[0]} receives its end token. */
        Rule longest(SqlTokenizer.Tokens t, int from, int[] end) {
            Trie node = this;
            Rule best = null;
            int i = from;
            while (true) {
                if (node.rule != null
                        && (best == null || stronger(best, node.rule) == node.rule && best != node.rule)) {
                    best = node.rule;
                    end[0] = i;
                }
                if (i == t.size) {
                    if (node.endRule != null && (best == null || stronger(best, node.endRule) == node.endRule)) {
                        best = node.endRule;
                        end[0] = i;
                    }
                    return best;
                }
                char c = t.type[i];
                Trie child = c < 128 ? node.next[c] : null;
                if (child == null) {
                    return best;
                }
                node = child;
                i++;
            }
        }
    }

    static String describe(String form) {
        Match m = match(form);
        return m == null ? "-" : m.rule.shape() + " L" + m.rule.paranoia() + " " + m.fingerprint();
    }
}
