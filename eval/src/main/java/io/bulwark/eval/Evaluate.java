package io.bulwark.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The detection evaluation: runs Bulwark's inspector and, as a baseline, ModSecurity with the OWASP CRS over the
 * shared corpora, and prints the figures side by side (see eval/README.md).
 */
public final class Evaluate {

    /** Command-line options. */
    record Options(
            Path corpora,
            Path out,
            List<Integer> levels,
            List<Integer> modsecLevels,
            int concurrency,
            Duration timeout,
            Duration budget,
            int paramsEvery,
            boolean bulwark) {

        static Options parse(String[] args) {
            Path corpora = Path.of("..", "shared", "corpora");
            Path out = Path.of("eval", "out");
            List<Integer> levels = List.of(1, 2, 3, 4);
            List<Integer> modsec = List.of(1, 2);
            int concurrency = 4;
            Duration timeout = Duration.ofSeconds(5);
            Duration budget = Duration.ofMinutes(15);
            int every = 1;
            boolean bulwark = true;
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--corpora" -> corpora = Path.of(value(args, ++i, a));
                    case "--out" -> out = Path.of(value(args, ++i, a));
                    case "--levels" -> levels = levels(value(args, ++i, a));
                    case "--modsec-levels" -> modsec = levels(value(args, ++i, a));
                    case "--no-modsec" -> modsec = List.of();
                    case "--no-bulwark" -> bulwark = false;
                    case "--concurrency" -> concurrency = positive(value(args, ++i, a), a);
                    case "--timeout" -> timeout = Duration.ofSeconds(positive(value(args, ++i, a), a));
                    case "--budget" -> budget = Duration.ofSeconds(positive(value(args, ++i, a), a));
                    case "--params-every" -> every = positive(value(args, ++i, a), a);
                    case "-h", "--help" -> {
                        System.out.println(USAGE);
                        System.exit(0);
                    }
                    default -> throw new IllegalArgumentException("unknown argument: " + a + "\n" + USAGE);
                }
            }
            return new Options(corpora, out, levels, modsec, concurrency, timeout, budget, every, bulwark);
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + ": missing value");
            }
            return args[i];
        }

        private static int positive(String v, String name) {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new IllegalArgumentException(name + ": " + n + " (expected: > 0)");
            }
            return n;
        }

        private static List<Integer> levels(String v) {
            if (v.isBlank() || v.equals("none")) {
                return List.of();
            }
            List<Integer> out = new ArrayList<>();
            for (String s : v.split(",")) {
                int n = Integer.parseInt(s.strip());
                if (n < 1 || n > 4) {
                    throw new IllegalArgumentException("paranoia level: " + n + " (expected: 1..4)");
                }
                out.add(n);
            }
            return List.copyOf(out);
        }
    }

    static final String USAGE = """
            usage: Evaluate [options]
              --corpora DIR         the shared corpora [../shared/corpora]
              --out DIR             where summary-<timestamp>.json goes [eval/out]
              --levels L,...        Bulwark paranoia levels to run [1,2,3,4]
              --modsec-levels L,... ModSecurity + CRS paranoia levels to run [1,2]; "none" to skip
              --no-modsec           skip ModSecurity
              --no-bulwark          skip Bulwark's inspector
              --concurrency N       requests in flight to ModSecurity [4]
              --timeout S           per request, seconds [5]
              --budget S            most time spent sending to ModSecurity per paranoia level, seconds [900]
              --params-every K      only every K-th http-params row (a quick run) [1]
            """;

    /**
     * One engine at one paranoia level: the categories it flagged for each CRS stage and each http-params request;
     * null where the request was not evaluated (a ModSecurity run that ran out of time).
     */
    record Column(
            String name,
            String engine,
            int paranoia,
            List<Set<String>> crs,
            Map<HttpParamsCorpus.Variant, List<Set<String>>> params) {}

    private static final Set<String> BLOCKED = Set.of("_blocked");

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        System.exit(new Evaluate(o, System.out).run());
    }

    private final Options o;
    private final PrintStream out;
    private final Map<String, Object> summary = new LinkedHashMap<>();

    Evaluate(Options o, PrintStream out) {
        this.o = o;
        this.out = out;
    }

    int run() throws IOException, InterruptedException {
        Instant started = Instant.now();
        Path crsDir = o.corpora().resolve("crs-regression");
        Path csv = o.corpora().resolve("http-params").resolve("payload_train.csv");
        if (!Files.isDirectory(crsDir.resolve("tests")) || !Files.isRegularFile(csv)) {
            System.err.println("corpora not found under " + o.corpora().toAbsolutePath() + " (use --corpora DIR)");
            return 2;
        }
        RuleCatalog catalog = RuleCatalog.load(crsDir.resolve("rule-paranoia.tsv"));
        CrsCorpus.Result crs = CrsCorpus.load(crsDir.resolve("tests"));
        List<HttpParamsCorpus.Row> allRows = HttpParamsCorpus.load(csv);
        List<HttpParamsCorpus.Row> rows = new ArrayList<>();
        for (int i = 0; i < allRows.size(); i += o.paramsEvery()) {
            rows.add(allRows.get(i));
        }
        List<EvalRequest> crsRequests =
                crs.stages().stream().map(CrsCorpus.Stage::request).toList();
        Map<HttpParamsCorpus.Variant, List<EvalRequest>> paramRequests = new LinkedHashMap<>();
        for (HttpParamsCorpus.Variant v : HttpParamsCorpus.Variant.values()) {
            paramRequests.put(
                    v, rows.stream().map(r -> HttpParamsCorpus.request(r, v)).toList());
        }

        String date = DateTimeFormatter.ISO_INSTANT.format(started.truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        out.println("Bulwark detection evaluation");
        out.println("date:      " + date);
        out.println("machine:   " + Machine.describe());
        out.println("corpora:   " + o.corpora().toAbsolutePath().normalize());
        long attacks = crs.stages().stream().filter(CrsCorpus.Stage::isAttack).count();
        long benign = crs.stages().stream().filter(CrsCorpus.Stage::isBenign).count();
        out.printf(
                "CRS regression: %d files, %d stages (%d attack stages of a mapped group, %d benign), %d files"
                        + " unreadable; %d rules in rule-paranoia.tsv%n",
                crs.files(), crs.stages().size(), attacks, benign, crs.errors().size(), catalog.size());
        for (String e : crs.errors()) {
            out.println("  unreadable: " + e);
        }
        out.printf(
                "http-params: %d rows%s, sent as GET /search?q=<value> and as POST /search {\"q\": value}%n",
                rows.size(), o.paramsEvery() > 1 ? " (every " + o.paramsEvery() + "th of " + allRows.size() + ")" : "");
        summary.put("date", date);
        summary.put("machine", Machine.describe());
        summary.put("git", Machine.git());
        summary.put(
                "crs_corpus",
                Map.of(
                        "files", crs.files(),
                        "stages", crs.stages().size(),
                        "attack_stages", attacks,
                        "benign_stages", benign,
                        "unreadable", crs.errors()));
        summary.put("http_params", Map.of("rows", rows.size(), "every", o.paramsEvery()));

        List<Column> columns = new ArrayList<>();
        if (o.bulwark()) {
            Classifier bulwark = new InspectorClassifier();
            Map<String, Object> timings = new LinkedHashMap<>();
            for (int level : o.levels()) {
                long t0 = System.nanoTime();
                int[] errors = {0};
                List<Set<String>> c = classifyAll(bulwark, crsRequests, level, errors);
                Map<HttpParamsCorpus.Variant, List<Set<String>>> p = new LinkedHashMap<>();
                for (var e : paramRequests.entrySet()) {
                    p.put(e.getKey(), classifyAll(bulwark, e.getValue(), level, errors));
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                int n = crsRequests.size()
                        + paramRequests.values().stream().mapToInt(List::size).sum();
                out.printf(
                        "bulwark@%d: %d requests in %d ms%s%n",
                        level, n, ms, errors[0] > 0 ? ", " + errors[0] + " threw (counted as not flagged)" : "");
                timings.put("pl" + level, Map.of("requests", n, "millis", ms, "exceptions", errors[0]));
                columns.add(new Column("bulwark@" + level, "bulwark", level, c, p));
            }
            summary.put("bulwark_runs", timings);
        }

        Set<Integer> installed = Set.of();
        String crsVersion = null;
        if (!o.modsecLevels().isEmpty()) {
            List<String> problems = new ArrayList<>();
            var setup = ModSecurityBaseline.detect(problems);
            if (setup.isEmpty()) {
                out.println("ModSecurity: not run: " + String.join("; ", problems));
                summary.put("modsecurity", Map.of("run", false, "problems", problems));
            } else {
                var s = setup.get();
                installed = s.installedRuleIds();
                crsVersion = s.crsVersion();
                out.printf(
                        "ModSecurity: libmodsecurity3 %s, nginx connector, OWASP CRS %s (Debian modsecurity-crs),"
                                + " %d rule ids installed; DetectionOnly, every matched rule id from the JSON audit"
                                + " log%n",
                        s.modsecVersion(), s.crsVersion(), installed.size());
                out.println("  The corpus tests come from CRS v4.28: rules added since the installed version cannot"
                        + " fire, see the table restricted to installed rules.");
                List<EvalRequest> all = new ArrayList<>(crsRequests);
                paramRequests.values().forEach(all::addAll);
                List<Map<String, Object>> runs = new ArrayList<>();
                Path work = o.out().resolve("work-" + started.getEpochSecond());
                for (int level : o.modsecLevels()) {
                    out.printf(
                            "modsec@%d: sending %d requests (concurrency %d, timeout %ds, budget %ds)...%n",
                            level,
                            all.size(),
                            o.concurrency(),
                            o.timeout().toSeconds(),
                            o.budget().toSeconds());
                    var run = ModSecurityBaseline.run(
                            s, level, all, work, o.concurrency(), o.timeout(), o.budget(), n -> {
                                if (n % 10_000 == 0) {
                                    System.err.printf("  modsec@%d: %d/%d%n", level, n, all.size());
                                }
                            });
                    out.printf(
                            "modsec@%d: %d sent in %d ms (%.0f req/s), %d without an answer in time, %d not in the"
                                    + " audit log (nginx refused them before ModSecurity, or no answer)%s%n",
                            level,
                            run.sent(),
                            run.millis(),
                            run.sent() * 1000.0 / Math.max(1, run.millis()),
                            run.timeouts(),
                            run.unlogged(),
                            run.complete() ? "" : "; BUDGET EXHAUSTED: the rest were not sent and are left out");
                    runs.add(Map.of(
                            "paranoia", level,
                            "sent", run.sent(),
                            "millis", run.millis(),
                            "timeouts", run.timeouts(),
                            "unlogged", run.unlogged(),
                            "complete", run.complete()));
                    List<Set<String>> cats = new ArrayList<>(all.size());
                    for (var outcome : run.outcomes()) {
                        if (outcome == ModSecurityBaseline.Outcome.NOT_RUN) {
                            cats.add(null);
                            continue;
                        }
                        Set<String> c = new TreeSet<>(RuleCatalog.categories(outcome.ruleIds()));
                        if (outcome.ruleIds().contains(RuleCatalog.INBOUND_ANOMALY_RULE)) {
                            c.addAll(BLOCKED);
                        }
                        cats.add(c);
                    }
                    int from = 0;
                    List<Set<String>> c = cats.subList(from, from + crsRequests.size());
                    from += crsRequests.size();
                    Map<HttpParamsCorpus.Variant, List<Set<String>>> p = new LinkedHashMap<>();
                    for (var e : paramRequests.entrySet()) {
                        p.put(e.getKey(), cats.subList(from, from + e.getValue().size()));
                        from += e.getValue().size();
                    }
                    columns.add(new Column("modsec@" + level, "modsecurity", level, c, p));
                }
                summary.put(
                        "modsecurity",
                        Map.of(
                                "run", true,
                                "libmodsecurity3", s.modsecVersion(),
                                "crs", s.crsVersion(),
                                "installed_rule_ids", installed.size(),
                                "runs", runs));
            }
        }
        out.println();
        if (columns.isEmpty()) {
            out.println("no engine ran");
            return 1;
        }
        new Tables(out, catalog, crs.stages(), rows, columns, installed, crsVersion, summary).print();
        Files.createDirectories(o.out());
        String stamp = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
                .withZone(ZoneOffset.UTC)
                .format(started);
        Path file = o.out().resolve("summary-" + stamp + ".json");
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), summary);
        out.println();
        out.println("summary written to " + file);
        return 0;
    }

    private static List<Set<String>> classifyAll(Classifier c, List<EvalRequest> requests, int level, int[] errors) {
        List<Set<String>> out = new ArrayList<>(requests.size());
        for (EvalRequest r : requests) {
            try {
                out.add(Set.copyOf(c.classify(r, level)));
            } catch (RuntimeException | StackOverflowError e) {
                if (errors[0]++ == 0) {
                    System.err.println("  first exception, on " + r.id() + ": " + e);
                }
                out.add(Set.of());
            }
        }
        return out;
    }

    /** Facts about the machine for the report header. */
    static final class Machine {
        private Machine() {}

        static String describe() {
            String cpu = "?";
            try {
                for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)) {
                    if (line.startsWith("model name")) {
                        cpu = line.substring(line.indexOf(':') + 1).strip();
                        break;
                    }
                }
            } catch (IOException | RuntimeException e) {
                // not Linux: keep "?"
            }
            return Runtime.getRuntime().availableProcessors() + " CPUs, " + cpu + ", Java "
                    + Runtime.version().feature() + ", "
                    + System.getProperty("os.name").toLowerCase(Locale.ROOT);
        }

        static String git() {
            try {
                Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD")
                        .redirectErrorStream(true)
                        .start();
                String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                return p.waitFor() == 0 ? v : "?";
            } catch (IOException e) {
                return "?";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "?";
            }
        }
    }
}
