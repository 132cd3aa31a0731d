package io.bulwark.inspect;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A forgiving SQL lexer for the {@link SqliDetector}: it never fails, it maps every piece of a value to a token
 * class, and it works in one left-to-right pass (each char is looked at a bounded number of times).
 *
 * <p>Token classes (one char each, so that a token sequence is a short string, the fingerprint):
 *
 * <pre>
 *   1  number, NULL, TRUE, FALSE        s  string literal            n  bareword (identifier, unknown word)
 *   v  @variable, @@system_variable     E  statement keyword (SELECT, INSERT, DROP, EXEC, ...)
 *   U  UNION                            r  FROM                      k  other clause keyword (WHERE, LIMIT, ...)
 *   B  ORDER BY, GROUP BY               =  comparison (=, &lt;&gt;, LIKE, RLIKE, IN, IS, BETWEEN, ...)
 *   o  other operator (+ - * / ...)     &amp;  logic (AND, OR, XOR, &amp;&amp;, ||)   c  comment
 *   ;  ( ) ,  themselves                f  function call (known name followed by '(')
 *   F  dangerous function (SLEEP, BENCHMARK, EXTRACTVALUE, LOAD_FILE, ...)   C  CHAR()/CHR()
 *   T  WAITFOR                          S  catalog object (INFORMATION_SCHEMA..., SYSOBJECTS, DUAL, ...)
 *   ?  anything else
 * </pre>
 */
final class SqlTokenizer {
    private SqlTokenizer() {}

    /** Tokens as parallel arrays: class, start and end offsets in the input. */
    static final class Tokens {
        char[] type = new char[16];
        int[] start = new int[16];
        int[] end = new int[16];
        int size;

        void add(char t, int s, int e) {
            if (size == type.length) {
                int cap = size * 2;
                type = Arrays.copyOf(type, cap);
                start = Arrays.copyOf(start, cap);
                end = Arrays.copyOf(end, cap);
            }
            type[size] = t;
            start[size] = s;
            end[size] = e;
            size++;
        }

        String fingerprint() {
            return new String(type, 0, size);
        }
    }

    private static final Map<String, Character> WORDS = new HashMap<>();

    private static void words(char type, String... ws) {
        for (String w : ws) {
            WORDS.put(w, type);
        }
    }

    static {
        words('1', "null", "true", "false");
        words(
                'E',
                "select",
                "insert",
                "update",
                "delete",
                "drop",
                "create",
                "alter",
                "truncate",
                "exec",
                "execute",
                "declare",
                "shutdown",
                "call",
                "merge",
                "grant",
                "revoke",
                "begin",
                "rename",
                "handler");
        words('U', "union");
        words('r', "from");
        words(
                'k',
                "where",
                "having",
                "limit",
                "offset",
                "into",
                "values",
                "set",
                "join",
                "case",
                "when",
                "then",
                "else",
                "end",
                "exists",
                "top",
                "procedure",
                "delay",
                "table",
                "database",
                "all",
                "distinct",
                "as",
                "collate",
                "escape");
        words('=', "like", "rlike", "regexp", "in", "is", "between", "sounds", "glob", "match");
        words('o', "not", "div", "mod");
        words('&', "and", "or", "xor");
        words('T', "waitfor");
        // Dangerous even without a call: no ordinary text contains these words.
        words(
                'F',
                "xp_cmdshell",
                "sp_executesql",
                "sp_oacreate",
                "xp_regread",
                "xp_dirtree",
                "outfile",
                "dumpfile",
                "pg_sleep",
                "load_file");
    }

    // Function names: a bareword followed by '(' is a function call only when its name is known, so that free text
    // such as "Smith (Jr)" stays a bareword.
    private static final Map<String, Character> FUNCTIONS = new HashMap<>();

    private static void functions(char type, String... ws) {
        for (String w : ws) {
            FUNCTIONS.put(w, type);
        }
    }

    static {
        functions(
                'f',
                "concat",
                "concat_ws",
                "group_concat",
                "substring",
                "substr",
                "mid",
                "ascii",
                "ord",
                "hex",
                "unhex",
                "count",
                "elt",
                "if",
                "iif",
                "ifnull",
                "isnull",
                "nullif",
                "coalesce",
                "cast",
                "convert",
                "version",
                "database",
                "user",
                "current_user",
                "system_user",
                "session_user",
                "schema",
                "md5",
                "sha1",
                "sha2",
                "rand",
                "floor",
                "row",
                "exp",
                "json_keys",
                "make_set",
                "repeat",
                "left",
                "right",
                "upper",
                "lower",
                "length",
                "len",
                "char_length",
                "bin",
                "conv",
                "instr",
                "locate",
                "position",
                "trim",
                "replace",
                "reverse",
                "lpad",
                "rpad",
                "space",
                "pow",
                "power",
                "abs",
                "sum",
                "min",
                "max",
                "avg",
                "least",
                "greatest",
                "db_name",
                "user_name",
                "host_name",
                "object_id",
                "now",
                "sysdate",
                "to_char",
                "to_number",
                "regexp_substring",
                "crypt_key",
                "generate_series",
                "like",
                "sys_context",
                "xmltype",
                "name_const",
                "polygon",
                "geometrycollection",
                "multipoint",
                "linestring",
                "gtid_subset",
                "json_extract",
                "uuid",
                "randomblob",
                "zeroblob",
                "typeof",
                "sqlite_version",
                "unicode",
                "quote",
                "printf",
                "strcmp",
                "field",
                "find_in_set",
                "case",
                "values",
                "exists");
        functions(
                'F',
                "sleep",
                "benchmark",
                "pg_sleep",
                "load_file",
                "xp_cmdshell",
                "sp_executesql",
                "sp_oacreate",
                "extractvalue",
                "updatexml",
                "dbms_pipe.receive_message",
                "dbms_lock.sleep",
                "dbms_utility.sqlid_to_sqlhash",
                "ctxsys.drithsx.sn",
                "utl_inaddr.get_host_address",
                "utl_http.request",
                "dbms_xmlgen.getxml",
                "sys_eval",
                "sys_exec",
                "openrowset",
                "opendatasource",
                "pg_read_file",
                "lo_import",
                "lo_export",
                "dblink");
        functions('C', "char", "chr", "nchar");
    }

    private static final WordTable WORD_TABLE = WordTable.of(WORDS);
    private static final WordTable FUNCTION_TABLE = WordTable.of(FUNCTIONS);

    /**
     * Tokenizes {@code s}. With {@code quote} 0 the value is read as is; with {@code '\''} or {@code '"'} it is read
     * as if it continued a string opened by that quote (the injection point inside a quoted literal), so the first
     * token is the string up to the closing quote.
     */
    static Tokens tokenize(String s, char quote) {
        Tokens t = new Tokens();
        int n = s.length();
        int i = 0;
        if (quote != 0) {
            i = endOfString(s, 0, quote);
            t.add('s', 0, i);
        }
        while (i < n) {
            char c = s.charAt(i);
            if (isSpace(c)) {
                i++;
            } else if (c == '\'' || c == '"') {
                int e = endOfString(s, i + 1, c);
                t.add('s', i, e);
                i = e;
            } else if (c == '`') {
                int e = s.indexOf('`', i + 1);
                e = e < 0 ? n : e + 1;
                t.add('n', i, e);
                i = e;
            } else if (c == '#') {
                t.add('c', i, n);
                i = endOfLine(s, i);
            } else if (c == '-' && i + 1 < n && s.charAt(i + 1) == '-') {
                t.add('c', i, n);
                i = endOfLine(s, i);
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                if (i + 2 < n && s.charAt(i + 2) == '!') {
                    // MySQL executable comment: its content is code ("/*!50000UNION*/"); skip the marker only.
                    i += 3;
                    while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                        i++;
                    }
                    continue;
                }
                int close = s.indexOf("*/", i + 2);
                if (close < 0) {
                    t.add('c', i, n);
                    i = n;
                } else {
                    // A closed comment between tokens is just a separator ("UNION/**/SELECT"); one at the very end
                    // is the "comment out the rest of the query" trick and is kept.
                    int after = close + 2;
                    if (onlySpaceFrom(s, after)) {
                        t.add('c', i, after);
                    }
                    i = after;
                }
            } else if (c == '*' && i + 1 < n && s.charAt(i + 1) == '/') {
                i += 2; // the end of an executable comment
            } else if (c == ';' || c == '(' || c == ')' || c == ',') {
                t.add(c, i, i + 1);
                i++;
            } else if (c == '@') {
                int e = i + 1;
                if (e < n && s.charAt(e) == '@') {
                    e++;
                }
                while (e < n && isWordChar(s.charAt(e))) {
                    e++;
                }
                t.add('v', i, e);
                i = e;
            } else if (isDigit(c) || c == '.' && i + 1 < n && isDigit(s.charAt(i + 1))) {
                i = number(s, i, t);
            } else if (isWordStart(c)) {
                i = word(s, i, t);
            } else {
                i = operator(s, i, t);
            }
        }
        return t;
    }

    private static boolean onlySpaceFrom(String s, int i) {
        for (int k = i; k < s.length(); k++) {
            if (!isSpace(s.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    /** The index after the closing quote (doubled quotes and backslash escapes stay inside), or the end. */
    private static int endOfString(String s, int from, char q) {
        int n = s.length();
        int i = from;
        while (i < n) {
            char c = s.charAt(i);
            if (c == '\\') {
                i += 2;
            } else if (c == q) {
                if (i + 1 < n && s.charAt(i + 1) == q) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        return n;
    }

    private static int endOfLine(String s, int i) {
        int nl = s.indexOf('\n', i);
        return nl < 0 ? s.length() : nl + 1;
    }

    private static int number(String s, int i, Tokens t) {
        int n = s.length();
        int e = i;
        if (s.charAt(i) == '0' && i + 1 < n && (s.charAt(i + 1) == 'x' || s.charAt(i + 1) == 'X')) {
            e = i + 2;
            while (e < n && Normalizer.hex(s.charAt(e)) >= 0) {
                e++;
            }
        } else {
            while (e < n && (isDigit(s.charAt(e)) || s.charAt(e) == '.')) {
                e++;
            }
            if (e < n && (s.charAt(e) == 'e' || s.charAt(e) == 'E') && e + 1 < n && isDigit(s.charAt(e + 1))) {
                e++;
                while (e < n && isDigit(s.charAt(e))) {
                    e++;
                }
            }
        }
        if (e < n && isWordChar(s.charAt(e))) {
            // "22997112x", "3rd": an identifier-like word, not a number.
            while (e < n && isWordChar(s.charAt(e))) {
                e++;
            }
            t.add('n', i, e);
            return e;
        }
        t.add('1', i, e);
        return e;
    }

    private static final int MAX_WORD_LOOKUP = 40;

    private static int word(String s, int i, Tokens t) {
        int n = s.length();
        int e = i;
        // Dotted names ("information_schema.tables", "dbms_lock.sleep", "master..sysdatabases") are one word.
        while (e < n && (isWordChar(s.charAt(e)) || s.charAt(e) == '.' || s.charAt(e) == '$')) {
            e++;
        }
        if (e - i > MAX_WORD_LOOKUP) {
            t.add('n', i, e);
            return e;
        }
        int k = e;
        while (k < n && isSpace(s.charAt(k))) {
            k++;
        }
        if (k < n && s.charAt(k) == '(') {
            char f = FUNCTION_TABLE.get(s, i, e);
            if (f != 0) {
                t.add(f, i, e);
                return e;
            }
        }
        char type = WORD_TABLE.get(s, i, e);
        if (type == 0 && isSystemObject(s, i, e)) {
            type = 'S';
        }
        t.add(type == 0 ? 'n' : type, i, e);
        return e;
    }

    // Catalog tables and schemas an attacker reads to map the database; no form field contains them.
    private static final Set<String> SYSTEM_OBJECTS = Set.of(
            "sysobjects",
            "syscolumns",
            "sysdatabases",
            "sysusers",
            "sys.objects",
            "sys.tables",
            "sys.columns",
            "sys.databases",
            "sys.sql_logins",
            "pg_tables",
            "pg_user",
            "pg_shadow",
            "pg_database",
            "pg_namespace",
            "mysql.user",
            "mysql.db",
            "all_users",
            "all_tables",
            "all_tab_columns",
            "user_tables",
            "user_users",
            "dba_users",
            "v$version",
            "rdb$database",
            "rdb$relations",
            "sqlite_master",
            "sqlite_schema",
            "msysobjects",
            "msysaccessobjects",
            "dual",
            "sysibm.sysdummy1",
            "syscat.tables");

    private static final WordTable SYSTEM_TABLE = WordTable.of(SYSTEM_OBJECTS, 'S');
    private static final List<String> SYSTEM_PREFIXES =
            List.of("information_schema", "pg_catalog", "master..", "master.dbo.", "sys.");

    private static boolean isSystemObject(String s, int from, int to) {
        for (String p : SYSTEM_PREFIXES) {
            if (to - from >= p.length() && s.regionMatches(true, from, p, 0, p.length())) {
                return true;
            }
        }
        if (SYSTEM_TABLE.get(s, from, to) != 0) {
            return true;
        }
        int dot = s.lastIndexOf('.', to - 1);
        return dot >= from && dot + 1 < to && SYSTEM_TABLE.get(s, dot + 1, to) != 0;
    }

    /**
     * Case-insensitive (ASCII) lookup of a region of the input, without allocating: the tokenizer looks up every
     * word of every value, so this is on the hot path.
     */
    static final class WordTable {
        private final String[] keys;
        private final char[] values;
        private final int mask;

        private WordTable(Map<String, Character> entries) {
            int cap = Integer.highestOneBit(Math.max(entries.size(), 4) * 4);
            keys = new String[cap];
            values = new char[cap];
            mask = cap - 1;
            for (Map.Entry<String, Character> en : entries.entrySet()) {
                String key = en.getKey();
                int idx = hash(key, 0, key.length()) & mask;
                while (keys[idx] != null) {
                    idx = (idx + 1) & mask;
                }
                keys[idx] = key;
                values[idx] = en.getValue();
            }
        }

        static WordTable of(Map<String, Character> entries) {
            return new WordTable(entries);
        }

        static WordTable of(Set<String> words, char type) {
            Map<String, Character> m = new HashMap<>();
            for (String w : words) {
                m.put(w, type);
            }
            return new WordTable(m);
        }

        private static int hash(String s, int from, int to) {
            int h = 0;
            for (int k = from; k < to; k++) {
                char c = s.charAt(k);
                h = 31 * h + (c >= 'A' && c <= 'Z' ? c + 32 : c);
            }
            return h ^ (h >>> 16);
        }

        /** The class of the word {@code s[from, to)}, or 0 when unknown. */
        char get(String s, int from, int to) {
            int len = to - from;
            int idx = hash(s, from, to) & mask;
            String key;
            while ((key = keys[idx]) != null) {
                if (key.length() == len && s.regionMatches(true, from, key, 0, len)) {
                    return values[idx];
                }
                idx = (idx + 1) & mask;
            }
            return 0;
        }
    }

    private static int operator(String s, int i, Tokens t) {
        int n = s.length();
        char c = s.charAt(i);
        char d = i + 1 < n ? s.charAt(i + 1) : 0;
        if ((c == '|' && d == '|') || (c == '&' && d == '&')) {
            t.add('&', i, i + 2);
            return i + 2;
        }
        if (c == '<' || c == '>' || c == '=' || c == '!' && d == '=') {
            int e = i + 1;
            while (e < n && e < i + 3 && (s.charAt(e) == '=' || s.charAt(e) == '>' || s.charAt(e) == '<')) {
                e++;
            }
            t.add('=', i, e);
            return e;
        }
        if (c == '+' || c == '-' || c == '*' || c == '/' || c == '%' || c == '^' || c == '|' || c == '&' || c == '~'
                || c == '!' || c == ':') {
            t.add('o', i, i + 1);
            return i + 1;
        }
        t.add('?', i, i + 1);
        return i + 1;
    }

    static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x0b || c == '\f' || c == 0xa0;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isWordStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '$' || c > 0x7f;
    }

    private static boolean isWordChar(char c) {
        return isWordStart(c) || isDigit(c);
    }
}
