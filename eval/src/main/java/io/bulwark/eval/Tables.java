package io.bulwark.eval;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/** Prints the tables and fills the JSON summary. */
final class Tables {

    private static final String BLOCKED = "_blocked";
    private static final List<String> PARAM_CATEGORIES = List.of("sqli", "xss", "lfi", "cmdi");

    private final PrintStream out;
    private final RuleCatalog catalog;
    private final List<CrsCorpus.Stage> stages;
    private final List<HttpParamsCorpus.Row> rows;
    private final List<Evaluate.Column> columns;
    private final Set<Integer> installed;
    private final String crsVersion;
    private final Map<String, Object> summary;

    Tables(
            PrintStream out,
            RuleCatalog catalog,
            List<CrsCorpus.Stage> stages,
            List<HttpParamsCorpus.Row> rows,
            List<Evaluate.Column> columns,
            Set<Integer> installed,
            String crsVersion,
            Map<String, Object> summary) {
        this.out = out;
        this.catalog = catalog;
        this.stages = stages;
        this.rows = rows;
        this.columns = columns;
        this.installed = installed;
        this.crsVersion = crsVersion;
        this.summary = summary;
    }

    /** Counts of one engine column over a set of items. */
    record Count(int evaluated, int right, int any) {
        double rightRate() {
            return evaluated == 0 ? Double.NaN : (double) right / evaluated;
        }

        double anyRate() {
            return evaluated == 0 ? Double.NaN : (double) any / evaluated;
        }

        Map<String, Object> json() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("evaluated", evaluated);
            m.put("right_category", right);
            m.put("any_category", any);
            m.put("rate_right", round(rightRate()));
            m.put("rate_any", round(anyRate()));
            return m;
        }
    }

    /** Counts items (by index) for a column: right when the prediction meets the item's target categories. */
    static Count count(List<Integer> items, IntFunction<Set<String>> prediction, IntFunction<Set<String>> target) {
        int evaluated = 0;
        int right = 0;
        int any = 0;
        for (int i : items) {
            Set<String> p = prediction.apply(i);
            if (p == null) {
                continue;
            }
            evaluated++;
            if (flaggedAny(p)) {
                any++;
            }
            Set<String> t = target.apply(i);
            for (String c : p) {
                if (t.contains(c)) {
                    right++;
                    break;
                }
            }
        }
        return new Count(evaluated, right, any);
    }

    static boolean flaggedAny(Set<String> p) {
        for (String c : p) {
            if (!c.equals(BLOCKED)) {
                return true;
            }
        }
        return false;
    }

    void print() {
        printCrs(false);
        if (crsVersion != null) {
            printCrs(true);
        }
        printCrsBenign();
        for (HttpParamsCorpus.Variant v : HttpParamsCorpus.Variant.values()) {
            printParams(v);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    private int minParanoia(Set<Integer> ids) {
        int min = Integer.MAX_VALUE;
        for (int id : ids) {
            int p = catalog.paranoia(id);
            if (p > 0) {
                min = Math.min(min, p);
            }
        }
        return min == Integer.MAX_VALUE ? 0 : min;
    }

    private void printCrs(boolean restricted) {
        Map<String, Object> json = new LinkedHashMap<>();
        out.println(
                restricted
                        ? "CRS regression attack stages whose expected rule exists in the installed CRS " + crsVersion
                                + " (a fair field for ModSecurity)"
                        : "CRS regression attack stages, by group and by the paranoia level of the expected rule");
        out.println("  cell: flagged in the right category (in any category); n = attack stages");
        header("group / rule PL");
        List<Integer> everyStage = new ArrayList<>();
        for (RuleCatalog.Group g : RuleCatalog.OUR_GROUPS) {
            Map<String, Object> gj = new LinkedHashMap<>();
            List<Integer> groupItems = new ArrayList<>();
            Map<Integer, List<Integer>> byLevel = new LinkedHashMap<>();
            for (int i = 0; i < stages.size(); i++) {
                Set<Integer> expected = stages.get(i).expected(g);
                if (expected.isEmpty()) {
                    continue;
                }
                if (restricted && expected.stream().noneMatch(installed::contains)) {
                    continue;
                }
                groupItems.add(i);
                if (!everyStage.contains(i)) {
                    everyStage.add(i);
                }
                byLevel.computeIfAbsent(minParanoia(expected), k -> new ArrayList<>())
                        .add(i);
            }
            out.printf("%s (%d)%n", g.name(), g.prefix());
            IntFunction<Set<String>> target = i -> stages.get(i).targetCategories(g);
            if (!restricted) {
                for (int level = 0; level <= 4; level++) {
                    List<Integer> items = byLevel.get(level);
                    if (items == null) {
                        continue;
                    }
                    String label = level == 0 ? "  rule PL unknown" : "  rule PL " + level;
                    gj.put(level == 0 ? "pl_unknown" : "pl" + level, row(label, items, target, true));
                }
            }
            gj.put("all", row(restricted ? "  all" : "  all levels", groupItems, target, true));
            json.put(g.name(), gj);
        }
        IntFunction<Set<String>> anyTarget = i -> {
            Set<String> t = new LinkedHashSet<>();
            for (RuleCatalog.Group g : RuleCatalog.OUR_GROUPS) {
                t.addAll(stages.get(i).targetCategories(g));
            }
            return t;
        };
        everyStage.sort(null);
        json.put("all_groups", row("all our groups", everyStage, anyTarget, true));
        List<Integer> upTo2 = everyStage.stream()
                .filter(i -> {
                    int min = Integer.MAX_VALUE;
                    for (RuleCatalog.Group g : RuleCatalog.OUR_GROUPS) {
                        Set<Integer> e = stages.get(i).expected(g);
                        if (!e.isEmpty()) {
                            int p = minParanoia(e);
                            min = Math.min(min, p == 0 ? 4 : p);
                        }
                    }
                    return min <= 2;
                })
                .toList();
        json.put("all_groups_rule_pl_1_2", row("  rule PL 1-2", upTo2, anyTarget, true));
        out.println();
        summary.put(restricted ? "crs_attacks_installed_rules" : "crs_attacks", json);
    }

    private void printCrsBenign() {
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i).isBenign()) {
                items.add(i);
            }
        }
        out.println("CRS regression benign stages (no rule expected, 949110 expected to stay quiet): flagged in any"
                + " category");
        header("");
        Map<String, Object> json = row("benign", items, i -> Set.of(), false);
        out.println();
        summary.put("crs_benign", json);
    }

    /** One table row: a cell per column; returns its JSON. */
    private Map<String, Object> row(
            String label, List<Integer> items, IntFunction<Set<String>> target, boolean showRight) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("n", items.size());
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-22s %6d", label, items.size()));
        for (Evaluate.Column c : columns) {
            Count k = count(items, i -> c.crs().get(i), target);
            json.put(c.name(), k.json());
            String cell = showRight
                    ? String.format(Locale.ROOT, "%s (%s)", pct(k.rightRate()), pct(k.anyRate()))
                    : String.format(Locale.ROOT, "%s %d", pct(k.anyRate()), k.any());
            b.append(String.format(Locale.ROOT, " | %-17s", cell));
        }
        out.println(b);
        return json;
    }

    private void header(String first) {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-22s %6s", first, "n"));
        for (Evaluate.Column c : columns) {
            b.append(String.format(Locale.ROOT, " | %-17s", c.name()));
        }
        out.println(b);
    }

    // ---------------------------------------------------------------------------------------------------------

    private void printParams(HttpParamsCorpus.Variant v) {
        Map<String, Object> json = new LinkedHashMap<>();
        String how = v == HttpParamsCorpus.Variant.QUERY ? "GET /search?q=<value>" : "POST /search {\"q\": value}";
        out.println("http-params, " + how);
        Map<String, List<Integer>> byCategory = new LinkedHashMap<>();
        List<Integer> normal = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            HttpParamsCorpus.Row r = rows.get(i);
            if (r.isNormal()) {
                normal.add(i);
            } else if (r.category() != null) {
                byCategory.computeIfAbsent(r.category(), k -> new ArrayList<>()).add(i);
            }
        }
        // Detection: one row per engine, one cell per category.
        StringBuilder h = new StringBuilder(String.format(Locale.ROOT, "%-12s", "TPR"));
        for (String cat : PARAM_CATEGORIES) {
            h.append(String.format(
                    Locale.ROOT,
                    " | %-21s",
                    cat + " (n=" + byCategory.getOrDefault(cat, List.of()).size() + ")"));
        }
        out.println(h);
        Map<String, Object> detection = new LinkedHashMap<>();
        for (Evaluate.Column c : columns) {
            List<Set<String>> pred = c.params().get(v);
            StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%-12s", c.name()));
            Map<String, Object> cj = new LinkedHashMap<>();
            for (String cat : PARAM_CATEGORIES) {
                List<Integer> items = byCategory.getOrDefault(cat, List.of());
                Count k = count(items, pred::get, i -> Set.of(cat));
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("n", items.size());
                m.put("evaluated", k.evaluated());
                m.put("tp", k.right());
                m.put("fn", k.evaluated() - k.right());
                m.put("tpr", round(k.rightRate()));
                m.put("flagged_any", k.any());
                m.put("fp", countNormal(normal, pred, p -> p.contains(cat)));
                m.put("fpr", round(rate(countNormal(normal, pred, p -> p.contains(cat)), evaluated(normal, pred))));
                cj.put(cat, m);
                b.append(String.format(
                        Locale.ROOT,
                        " | %-7s TP %-5d FN %-4d",
                        pct(k.rightRate()),
                        k.right(),
                        k.evaluated() - k.right()));
            }
            out.println(b);
            detection.put(c.name(), cj);
        }
        json.put("by_category", detection);
        // False positives on the normal values.
        StringBuilder fh = new StringBuilder(
                String.format(Locale.ROOT, "%-12s | %-18s", "FPR", "norm (n=" + normal.size() + "), any"));
        for (String cat : PARAM_CATEGORIES) {
            fh.append(String.format(Locale.ROOT, " | %-14s", "as " + cat));
        }
        fh.append(" | CRS would block (949110)");
        out.println(fh);
        Map<String, Object> fps = new LinkedHashMap<>();
        for (Evaluate.Column c : columns) {
            List<Set<String>> pred = c.params().get(v);
            int n = evaluated(normal, pred);
            int any = countNormal(normal, pred, Tables::flaggedAny);
            StringBuilder b = new StringBuilder(
                    String.format(Locale.ROOT, "%-12s | %-18s", c.name(), pct3(rate(any, n)) + " FP " + any));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("n", normal.size());
            m.put("evaluated", n);
            m.put("fp_any", any);
            m.put("fpr_any", round(rate(any, n)));
            for (String cat : PARAM_CATEGORIES) {
                int fp = countNormal(normal, pred, p -> p.contains(cat));
                b.append(String.format(Locale.ROOT, " | %-14s", pct3(rate(fp, n)) + " " + fp));
                m.put("fp_" + cat, fp);
            }
            if (c.engine().equals("modsecurity")) {
                int blocked = countNormal(normal, pred, p -> p.contains(BLOCKED));
                b.append(String.format(Locale.ROOT, " | %s %d", pct3(rate(blocked, n)), blocked));
                m.put("would_block", blocked);
                m.put("would_block_rate", round(rate(blocked, n)));
            } else {
                b.append(" | -");
            }
            out.println(b);
            fps.put(c.name(), m);
        }
        json.put("norm", fps);
        out.println();
        summary.put("http_params_" + v.label(), json);
    }

    private static int evaluated(Collection<Integer> items, List<Set<String>> pred) {
        int n = 0;
        for (int i : items) {
            if (pred.get(i) != null) {
                n++;
            }
        }
        return n;
    }

    private static int countNormal(
            Collection<Integer> items, List<Set<String>> pred, java.util.function.Predicate<Set<String>> test) {
        int n = 0;
        for (int i : items) {
            Set<String> p = pred.get(i);
            if (p != null && test.test(p)) {
                n++;
            }
        }
        return n;
    }

    private static double rate(int k, int n) {
        return n == 0 ? Double.NaN : (double) k / n;
    }

    private static String pct(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * r);
    }

    private static String pct3(double r) {
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, "%.2f%%", 100 * r);
    }

    private static Object round(double r) {
        return Double.isNaN(r) ? null : Math.round(r * 100_000) / 100_000.0;
    }
}
