package io.bulwark.eval;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Maps OWASP CRS rule ids to categories (by the rule file prefix, the first three digits) and to paranoia levels
 * (from {@code rule-paranoia.tsv}).
 *
 * <p>Groups of ours (the ones reported): 921 protocol, 930 lfi, 932 cmdi, 934 generic (ssrf, ssti,
 * prototype-pollution), 941 xss, 942 sqli, 944 java (jndi). The other request groups (911, 913, 920, 922, 931,
 * 933, 943) are mapped to CRS-only labels so that "flagged in any category" counts them; ids outside 911..944
 * (initialisation, anomaly evaluation, correlation) map to nothing.
 */
public final class RuleCatalog {

    /**
     * One CRS rule group.
     *
     * @param prefix the first three digits of its rule ids
     * @param name a short name for tables
     * @param categories the categories a rule of this group is an attack of: our wire names for our groups, a CRS
     *     label otherwise
     * @param ours whether the group is one Bulwark's categories cover (and is reported)
     */
    public record Group(int prefix, String name, Set<String> categories, boolean ours) {}

    /** Our groups in report order. */
    public static final List<Group> OUR_GROUPS = List.of(
            new Group(942, "sqli", Set.of("sqli"), true),
            new Group(941, "xss", Set.of("xss"), true),
            new Group(932, "cmdi", Set.of("cmdi"), true),
            new Group(930, "lfi", Set.of("lfi"), true),
            new Group(934, "generic", Set.of("ssrf", "ssti", "prototype-pollution"), true),
            new Group(944, "java/jndi", Set.of("jndi"), true),
            new Group(921, "protocol", Set.of("protocol"), true));

    private static final List<Group> OTHER_GROUPS = List.of(
            new Group(911, "method", Set.of("crs-method"), false),
            new Group(913, "scanner", Set.of("crs-scanner"), false),
            new Group(920, "protocol-enforcement", Set.of("crs-protocol-enforcement"), false),
            new Group(922, "multipart", Set.of("crs-multipart"), false),
            new Group(931, "rfi", Set.of("crs-rfi"), false),
            new Group(933, "php", Set.of("crs-php"), false),
            new Group(943, "session-fixation", Set.of("crs-session-fixation"), false));

    /**
     * 934 (generic) holds rules of several kinds; where a rule is known to be one of ours, it maps to that category
     * alone. The others (Node.js, Perl, Ruby, PHP wrappers, ...) keep the whole group's set.
     */
    private static final Map<Integer, Set<String>> REFINED = Map.of(
            934110, Set.of("ssrf"),
            934120, Set.of("ssrf"),
            934130, Set.of("prototype-pollution"),
            934180, Set.of("ssti"));

    /** The CRS rule id that reports that the inbound anomaly score reached the blocking threshold. */
    public static final int INBOUND_ANOMALY_RULE = 949110;

    private final Map<Integer, Integer> paranoia;

    public RuleCatalog(Map<Integer, Integer> paranoia) {
        this.paranoia = Map.copyOf(paranoia);
    }

    /** Reads {@code rule_id<TAB>paranoia_level<TAB>rule_file} lines (a header line is skipped). */
    public static RuleCatalog load(Path tsv) throws IOException {
        Map<Integer, Integer> pl = new TreeMap<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            String[] f = line.split("\t");
            if (f.length < 2 || !f[0].strip().matches("\\d+")) {
                continue;
            }
            pl.put(Integer.parseInt(f[0].strip()), Integer.parseInt(f[1].strip()));
        }
        return new RuleCatalog(pl);
    }

    /** The group of a rule id, or null when the id is outside the mapped request groups. */
    public static Group group(int ruleId) {
        int prefix = ruleId / 1000;
        for (Group g : OUR_GROUPS) {
            if (g.prefix() == prefix) {
                return g;
            }
        }
        for (Group g : OTHER_GROUPS) {
            if (g.prefix() == prefix) {
                return g;
            }
        }
        return null;
    }

    /** The categories a rule id stands for; empty for unmapped ids. */
    public static Set<String> categories(int ruleId) {
        Set<String> refined = REFINED.get(ruleId);
        if (refined != null) {
            return refined;
        }
        Group g = group(ruleId);
        return g == null ? Set.of() : g.categories();
    }

    /** The categories that any of these rule ids stand for. */
    public static Set<String> categories(Iterable<Integer> ruleIds) {
        Set<String> out = new LinkedHashSet<>();
        for (int id : ruleIds) {
            out.addAll(categories(id));
        }
        return out;
    }

    /** The paranoia level of a rule (1..4), or 0 when the table does not know it. */
    public int paranoia(int ruleId) {
        return paranoia.getOrDefault(ruleId, 0);
    }

    /** The number of rules in the paranoia table. */
    public int size() {
        return paranoia.size();
    }
}
