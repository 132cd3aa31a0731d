package io.bulwark.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * ModSecurity v3 with the OWASP CRS as Debian ships them, behind a private nginx on loopback: the baseline the
 * inspector is measured against.
 *
 * <p>Each paranoia level gets its own nginx (one worker, {@code SecRuleEngine DetectionOnly}, so every rule runs on
 * every request) and its own serial JSON audit log of every transaction. Requests go out as raw bytes over plain
 * sockets, so odd requests survive; each request comes from its own loopback source address (127.x.y.z), which is
 * how its audit log entry is found again without touching the request.
 */
final class ModSecurityBaseline {

    /** Where the pieces are installed. */
    record Setup(
            Path nginx,
            List<Path> modules,
            Path crsSetup,
            Path crsBeforeExclusions,
            Path crsRulesDir,
            Path crsAfterExclusions,
            Path unicodeMapping,
            String crsVersion,
            String modsecVersion,
            Set<Integer> installedRuleIds) {}

    /**
     * What ModSecurity did with one request.
     *
     * @param ruleIds the rules that matched (every rule with a message in the audit log)
     * @param status the HTTP status nginx answered, 0 when there was no answer
     * @param logged whether the audit log holds the transaction (false: nginx refused the request before
     *     ModSecurity saw it, or it timed out)
     */
    record Outcome(Set<Integer> ruleIds, int status, boolean logged) {
        static final Outcome NOT_RUN = new Outcome(Set.of(), 0, false);
    }

    /** The outcomes of one paranoia level, in request order, and how the run went. */
    record Run(
            int paranoia,
            List<Outcome> outcomes,
            int sent,
            int timeouts,
            int unlogged,
            long millis,
            boolean complete) {}

    private static final Pattern CLIENT_IP = Pattern.compile("\"client_ip\":\"([0-9.]+)\"");
    private static final Pattern RULE_ID = Pattern.compile("\"ruleId\":\"(\\d+)\"");
    private static final Pattern CONF_ID = Pattern.compile("\\bid:'?(\\d+)");

    private ModSecurityBaseline() {}

    /** Finds nginx, the ModSecurity module and the Debian CRS; empty (with the reason) when something is missing. */
    static Optional<Setup> detect(List<String> problems) {
        Path nginx = Stream.of("/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx")
                .map(Path::of)
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        Path modsecModule = Path.of("/usr/share/nginx/modules/ngx_http_modsecurity_module.so");
        Path ndkModule = Path.of("/usr/share/nginx/modules/ndk_http_module.so");
        Path crsSetup = Path.of("/etc/modsecurity/crs/crs-setup.conf");
        Path rules = Path.of("/usr/share/modsecurity-crs/rules");
        Path unicode = Stream.of("/etc/nginx/unicode.mapping", "/usr/share/nginx/docs/modsecurity/unicode.mapping")
                .map(Path::of)
                .filter(Files::isRegularFile)
                .findFirst()
                .orElse(null);
        if (nginx == null) {
            problems.add("nginx not found");
        }
        if (!Files.isRegularFile(modsecModule)) {
            problems.add(modsecModule + " missing (apt-get install libnginx-mod-http-modsecurity)");
        }
        if (!Files.isRegularFile(crsSetup) || !Files.isDirectory(rules)) {
            problems.add("OWASP CRS missing under /etc/modsecurity/crs and /usr/share/modsecurity-crs"
                    + " (apt-get install modsecurity-crs)");
        }
        if (!problems.isEmpty()) {
            return Optional.empty();
        }
        List<Path> modules = new ArrayList<>();
        if (Files.isRegularFile(ndkModule)) {
            modules.add(ndkModule);
        }
        modules.add(modsecModule);
        Set<Integer> ids = new TreeSet<>();
        try (Stream<Path> s = Files.list(rules)) {
            for (Path conf : s.filter(p -> p.toString().endsWith(".conf")).toList()) {
                Matcher m = CONF_ID.matcher(Files.readString(conf, StandardCharsets.ISO_8859_1));
                while (m.find()) {
                    ids.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            problems.add("cannot read " + rules + ": " + e.getMessage());
            return Optional.empty();
        }
        return Optional.of(new Setup(
                nginx,
                modules,
                crsSetup,
                Path.of("/etc/modsecurity/crs/REQUEST-900-EXCLUSION-RULES-BEFORE-CRS.conf"),
                rules,
                Path.of("/etc/modsecurity/crs/RESPONSE-999-EXCLUSION-RULES-AFTER-CRS.conf"),
                unicode,
                dpkgVersion("modsecurity-crs"),
                dpkgVersion("libmodsecurity3"),
                ids));
    }

    private static String dpkgVersion(String pkg) {
        try {
            Process p = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", pkg)
                    .redirectErrorStream(true)
                    .start();
            String v = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? v : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    /**
     * Starts nginx with ModSecurity at this paranoia level, sends every request, stops nginx and reads the audit
     * log. Stops sending when {@code budget} has passed: the requests not sent are reported as not run.
     */
    static Run run(
            Setup setup,
            int paranoia,
            List<EvalRequest> requests,
            Path workDir,
            int concurrency,
            Duration timeout,
            Duration budget,
            java.util.function.IntConsumer progress)
            throws IOException, InterruptedException {
        Path dir = Files.createDirectories(workDir.toAbsolutePath().resolve("modsec-pl" + paranoia));
        Files.createDirectories(dir.resolve("tmp"));
        Path audit = dir.resolve("audit.json");
        Files.deleteIfExists(audit);
        int port = freePort();
        int backend = freePort();
        Files.writeString(dir.resolve("modsec.conf"), modsecConf(setup, paranoia, dir, audit));
        Files.writeString(dir.resolve("nginx.conf"), nginxConf(setup, dir, port, backend));
        Process nginx = new ProcessBuilder(
                        setup.nginx().toString(),
                        "-p",
                        dir.toString(),
                        "-c",
                        dir.resolve("nginx.conf").toString(),
                        "-e",
                        dir.resolve("error.log").toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("nginx.out").toFile())
                .start();
        Thread hook = new Thread(() -> stop(nginx));
        Runtime.getRuntime().addShutdownHook(hook);
        long t0 = System.nanoTime();
        Outcome[] outcomes = new Outcome[requests.size()];
        int[] status = new int[requests.size()];
        int sent = 0;
        int timeouts = 0;
        boolean complete = true;
        try {
            awaitPort(nginx, port, dir);
            long deadline = t0 + budget.toNanos();
            AtomicBoolean late = new AtomicBoolean();
            ExecutorService pool = Executors.newFixedThreadPool(concurrency);
            try {
                List<Future<Integer>> futures = new ArrayList<>(requests.size());
                for (int i = 0; i < requests.size(); i++) {
                    int index = i;
                    futures.add(pool.submit(() -> {
                        if (late.get() || System.nanoTime() > deadline) {
                            late.set(true);
                            return -2;
                        }
                        return send(requests.get(index).wire(), sourceAddress(index), port, timeout);
                    }));
                }
                for (int i = 0; i < futures.size(); i++) {
                    int s;
                    try {
                        s = futures.get(i).get();
                    } catch (java.util.concurrent.ExecutionException e) {
                        s = 0;
                    }
                    status[i] = s;
                    if (s == -2) {
                        complete = false;
                    } else {
                        sent++;
                        if (s == -1) {
                            timeouts++;
                        }
                    }
                    if (progress != null && (i + 1) % 1000 == 0) {
                        progress.accept(i + 1);
                    }
                }
            } finally {
                pool.shutdownNow();
                pool.awaitTermination(30, TimeUnit.SECONDS);
            }
        } finally {
            stop(nginx);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway
            }
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        Map<Integer, Set<Integer>> logged = readAudit(audit);
        int unlogged = 0;
        for (int i = 0; i < outcomes.length; i++) {
            if (status[i] == -2) {
                outcomes[i] = Outcome.NOT_RUN;
                continue;
            }
            Set<Integer> ids = logged.get(i);
            if (ids == null) {
                unlogged++;
            }
            outcomes[i] = new Outcome(ids == null ? Set.of() : ids, Math.max(status[i], 0), ids != null);
        }
        return new Run(paranoia, List.of(outcomes), sent, timeouts, unlogged, millis, complete);
    }

    /** 127.x.y.z with x, y, z in 1..254: over 16 million distinct sources. */
    static InetAddress sourceAddress(int index) throws IOException {
        int z = 1 + index % 254;
        int y = 1 + (index / 254) % 254;
        int x = 1 + index / (254 * 254);
        return InetAddress.getByAddress(new byte[] {127, (byte) x, (byte) y, (byte) z});
    }

    static int indexOf(String ip) {
        String[] p = ip.split("\\.");
        if (p.length != 4 || !p[0].equals("127")) {
            return -1;
        }
        int x = Integer.parseInt(p[1]);
        int y = Integer.parseInt(p[2]);
        int z = Integer.parseInt(p[3]);
        if (x < 1 || y < 1 || z < 1) {
            return -1;
        }
        return (x - 1) * 254 * 254 + (y - 1) * 254 + (z - 1);
    }

    /** Sends the bytes and reads the answer until nginx closes; the status, or -1 on a timeout or error. */
    private static int send(byte[] wire, InetAddress source, int port, Duration timeout) {
        try (Socket s = new Socket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(source, 0));
            s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            OutputStream out = s.getOutputStream();
            out.write(wire);
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[8192];
            StringBuilder head = new StringBuilder();
            long deadline = System.nanoTime() + timeout.toNanos();
            int n;
            while ((n = in.read(buf)) > 0) {
                if (head.length() < 64) {
                    head.append(new String(buf, 0, Math.min(n, 64), StandardCharsets.ISO_8859_1));
                }
                if (System.nanoTime() > deadline) {
                    break;
                }
            }
            String h = head.toString();
            if (h.startsWith("HTTP/") && h.length() >= 12) {
                return Integer.parseInt(h.substring(9, 12));
            }
            return 0;
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
    }

    private static Map<Integer, Set<Integer>> readAudit(Path audit) throws IOException {
        Map<Integer, Set<Integer>> out = new HashMap<>();
        if (!Files.exists(audit)) {
            return out;
        }
        try (Stream<String> lines = Files.lines(audit, StandardCharsets.ISO_8859_1)) {
            lines.forEach(line -> {
                Matcher ip = CLIENT_IP.matcher(line);
                if (!ip.find()) {
                    return;
                }
                int index = indexOf(ip.group(1));
                if (index < 0) {
                    return;
                }
                Set<Integer> ids = out.computeIfAbsent(index, k -> new TreeSet<>());
                Matcher m = RULE_ID.matcher(line);
                while (m.find()) {
                    ids.add(Integer.parseInt(m.group(1)));
                }
            });
        }
        return out;
    }

    static String modsecConf(Setup setup, int paranoia, Path dir, Path audit) {
        StringBuilder b = new StringBuilder();
        b.append("# written by bulwark-eval: ModSecurity + OWASP CRS at paranoia level ")
                .append(paranoia)
                .append('\n');
        b.append("""
                SecRuleEngine DetectionOnly
                SecRequestBodyAccess On
                SecRule REQUEST_HEADERS:Content-Type "^(?:application(?:/soap\\+|/)|text/)xml" \\
                     "id:'200000',phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=XML"
                SecRule REQUEST_HEADERS:Content-Type "^application/json" \\
                     "id:'200001',phase:1,t:none,t:lowercase,pass,nolog,ctl:requestBodyProcessor=JSON"
                SecRequestBodyLimit 13107200
                SecRequestBodyNoFilesLimit 131072
                SecRequestBodyLimitAction ProcessPartial
                SecPcreMatchLimit 100000
                SecPcreMatchLimitRecursion 100000
                SecResponseBodyAccess Off
                SecArgumentSeparator &
                SecCookieFormat 0
                SecStatusEngine Off
                SecAuditEngine On
                SecAuditLogType Serial
                SecAuditLogFormat JSON
                SecAuditLogParts AHZ
                """);
        b.append("SecTmpDir ").append(dir.resolve("tmp")).append('\n');
        b.append("SecDataDir ").append(dir.resolve("tmp")).append('\n');
        b.append("SecAuditLog ").append(audit).append('\n');
        if (setup.unicodeMapping() != null) {
            b.append("SecUnicodeMapFile ").append(setup.unicodeMapping()).append(" 20127\n");
        }
        // CRS 3.x reads tx.paranoia_level / tx.executing_paranoia_level, CRS 4 tx.blocking_paranoia_level /
        // tx.detection_paranoia_level: set both, so the file works with either. The regression tests send
        // url-encoded bodies without a Content-Type (as go-ftw does) and the CRS test set-up parses them anyway
        // (tx.enforce_bodyproc_urlencoded=1); without it, ModSecurity would not see those bodies' arguments.
        b.append("SecAction \"id:900000,phase:1,nolog,pass,t:none,setvar:tx.paranoia_level=")
                .append(paranoia)
                .append(",setvar:tx.executing_paranoia_level=")
                .append(paranoia)
                .append(",setvar:tx.blocking_paranoia_level=")
                .append(paranoia)
                .append(",setvar:tx.detection_paranoia_level=")
                .append(paranoia)
                .append(",setvar:tx.enforce_bodyproc_urlencoded=1\"\n");
        b.append("Include ").append(setup.crsSetup()).append('\n');
        if (Files.isRegularFile(setup.crsBeforeExclusions())) {
            b.append("Include ").append(setup.crsBeforeExclusions()).append('\n');
        }
        b.append("Include ").append(setup.crsRulesDir()).append("/*.conf\n");
        if (Files.isRegularFile(setup.crsAfterExclusions())) {
            b.append("Include ").append(setup.crsAfterExclusions()).append('\n');
        }
        return b.toString();
    }

    static String nginxConf(Setup setup, Path dir, int port, int backend) {
        StringBuilder b = new StringBuilder();
        for (Path m : setup.modules()) {
            b.append("load_module ").append(m).append(";\n");
        }
        b.append("daemon off;\nmaster_process on;\nworker_processes 1;\n");
        b.append("pid ").append(dir.resolve("nginx.pid")).append(";\n");
        b.append("error_log ").append(dir.resolve("error.log")).append(" warn;\n");
        b.append("events { worker_connections 1024; }\n");
        b.append("http {\n");
        b.append("  access_log off;\n");
        for (String t : List.of("client_body", "proxy", "fastcgi", "uwsgi", "scgi")) {
            b.append("  ")
                    .append(t)
                    .append("_temp_path ")
                    .append(dir.resolve("tmp").resolve(t))
                    .append(";\n");
        }
        b.append("  keepalive_timeout 0;\n  client_max_body_size 16m;\n  large_client_header_buffers 8 64k;\n");
        b.append("  server {\n    listen 127.0.0.1:").append(port).append(" default_server;\n");
        b.append("    server_name _;\n    modsecurity on;\n");
        b.append("    modsecurity_rules_file ")
                .append(dir.resolve("modsec.conf"))
                .append(";\n");
        // proxy_pass, not return: a return in the rewrite phase would skip ModSecurity's request body phase.
        b.append("    location / { proxy_pass http://127.0.0.1:")
                .append(backend)
                .append("; }\n  }\n");
        b.append("  server {\n    listen 127.0.0.1:").append(backend).append(";\n");
        b.append("    location / { return 200 \"ok\\n\"; }\n  }\n}\n");
        return b.toString();
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void awaitPort(Process nginx, int port, Path dir) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                throw new IOException("nginx exited at start-up: " + tail(dir.resolve("error.log")) + " "
                        + tail(dir.resolve("nginx.out")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        throw new IOException("nginx did not listen on " + port + " within 60 s: " + tail(dir.resolve("error.log")));
    }

    private static String tail(Path p) {
        try {
            List<String> lines = Files.readAllLines(p, StandardCharsets.ISO_8859_1);
            return String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    /** Stops nginx: TERM to the master (it stops its workers), then KILL to whatever is left, by process id. */
    static void stop(Process nginx) {
        List<ProcessHandle> workers = nginx.descendants().toList();
        nginx.destroy();
        try {
            if (!nginx.waitFor(15, TimeUnit.SECONDS)) {
                nginx.destroyForcibly();
                nginx.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            nginx.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle w : workers) {
            if (w.isAlive()) {
                w.destroyForcibly();
            }
        }
    }
}
