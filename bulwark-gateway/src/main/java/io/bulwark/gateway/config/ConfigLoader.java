package io.bulwark.gateway.config;

import inet.ipaddr.IPAddressString;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigError;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.OpenApiException;
import io.bulwark.openapi.OperationMatcher;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CRL;
import java.security.cert.CRLException;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a config file into a validated {@link GatewayConfig}, building every policy. Collects as many errors as it
 * can (one section's error does not hide another's) and reports each with file, line, column and key.
 */
public final class ConfigLoader {
    static final int MIN_ADMIN_TOKEN_LENGTH = 16;
    private static final Pattern ENVIRONMENT = Pattern.compile("[a-z0-9][a-z0-9-]{0,31}");
    private static final long MAX_PKI_FILE_BYTES = 4L * 1024 * 1024;
    private static final Pattern ROUTE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Pattern HOST_PATTERN =
            Pattern.compile("\\*|(\\*\\.)?[a-z0-9]([a-z0-9-]{0,62})(\\.[a-z0-9]([a-z0-9-]{0,62}))*");
    private static final Pattern PATH_PREFIX =
            Pattern.compile("/([A-Za-z0-9._~!$&'()*+,;=:@%-]+(/[A-Za-z0-9._~!$&'()*+,;=:@%-]+)*)?");

    private final YamlConfigReader reader;
    private final PolicyRegistry registry;

    public ConfigLoader(YamlConfigReader reader, PolicyRegistry registry) {
        this.reader = reader;
        this.registry = registry;
    }

    /** A loader with the process environment and the policies on the class path. */
    public static ConfigLoader standard() {
        return new ConfigLoader(new YamlConfigReader(), PolicyRegistry.load());
    }

    public GatewayConfig load(Path file) throws ConfigException {
        ConfigNode root = reader.read(file);
        Path dir = file.toAbsolutePath().getParent();
        return build(root, file, dir);
    }

    /** Builds a config from a parsed tree; {@code baseDirectory} resolves relative paths. */
    public GatewayConfig build(ConfigNode root, Path source, Path baseDirectory) throws ConfigException {
        Errors errors = new Errors();
        ConfigNode.Fields f = root.fields();
        List<String> warnings = new ArrayList<>();

        List<ListenerConfig> listeners =
                errors.collect(() -> listeners(f.required("listeners"), baseDirectory), List.of());
        LimitsConfig limits = errors.collect(() -> limits(f.optional("limits")), LimitsConfig.DEFAULT);
        List<String> proxies = errors.collect(() -> trustedProxies(f.optional("trusted_proxies")), List.of());
        Map<String, UpstreamConfig> upstreams =
                errors.collect(() -> upstreams(f.required("upstreams"), baseDirectory, errors), Map.of());
        String environment = errors.collect(() -> environment(f.optional("environment")), null);
        Map<Path, OpenApiDocument> specs = new HashMap<>();
        List<RouteConfig> routes = errors.collect(
                () -> routes(f.required("routes"), upstreams, baseDirectory, errors, warnings, environment, specs),
                List.of());
        AdminConfig admin = errors.collect(() -> admin(f.optional("admin"), warnings), null);
        AccessLogConfig accessLog = errors.collect(
                () -> accessLog(f.optional("access_log"), baseDirectory),
                new AccessLogConfig(true, null, List.of(), List.of()));
        int queue = errors.collect(() -> f.integer("event_queue_size", 16, 1 << 20, 16_384), 16_384);
        Duration drain = errors.collect(
                () -> f.duration("drain_timeout", Duration.ZERO, Duration.ofMinutes(10), Duration.ofSeconds(30)),
                Duration.ofSeconds(30));
        errors.collect(
                () -> {
                    f.finish();
                    return null;
                },
                null);
        errors.throwIfAny();
        return new GatewayConfig(
                source,
                listeners,
                limits,
                proxies,
                upstreams,
                routes,
                admin,
                accessLog,
                queue,
                drain,
                warnings,
                environment);
    }

    // ---- listeners

    private List<ListenerConfig> listeners(ConfigNode node, Path dir) throws ConfigException {
        List<ConfigNode> items = node.asList();
        if (items.isEmpty()) {
            throw node.error("at least one listener");
        }
        List<ListenerConfig> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (ConfigNode item : items) {
            ConfigNode.Fields f = item.fields();
            String protocol = f.choice("protocol", List.of("http", "https", "redirect"), "http");
            String host = f.string("host", "0.0.0.0");
            int port = f.required("port").asInt(0, 65535);
            String name = f.string("name", protocol + "-" + port);
            if (!names.add(name)) {
                throw item.error("listener name \"" + name + "\" used twice", "unique listener names");
            }
            TlsConfig tls = null;
            HstsConfig hsts = null;
            int redirectPort = 443;
            if (protocol.equals("https")) {
                tls = tls(f.required("tls"), dir);
                hsts = hsts(f.optional("hsts"));
            } else if (protocol.equals("redirect")) {
                redirectPort = f.integer("redirect_port", 1, 65535, 443);
            }
            f.finish();
            out.add(new ListenerConfig(
                    name,
                    ListenerConfig.Protocol.valueOf(protocol.toUpperCase(Locale.ROOT)),
                    host,
                    port,
                    tls,
                    hsts,
                    redirectPort));
        }
        return out;
    }

    private static TlsConfig tls(ConfigNode node, Path dir) throws ConfigException {
        ConfigNode.Fields f = node.fields();
        Path cert = readableFile(f.required("certificate"), dir);
        Path key = readableFile(f.required("key"), dir);
        List<String> protocols = List.of("TLSv1.3", "TLSv1.2");
        Optional<ConfigNode> p = f.optional("protocols");
        if (p.isPresent()) {
            protocols = p.get().asStringList();
            for (String v : protocols) {
                if (!TlsConfig.ALLOWED_PROTOCOLS.contains(v)) {
                    throw p.get().error("\"" + v + "\"", "TLSv1.2 or TLSv1.3 (older versions are insecure)");
                }
            }
            if (protocols.isEmpty()) {
                throw p.get().error("at least one of TLSv1.2, TLSv1.3");
            }
        }
        boolean http2 = f.bool("http2", true);
        Optional<ConfigNode> clientAuthNode = f.optional("client_auth");
        ClientAuthConfig clientAuth = clientAuthNode.isPresent() ? clientAuth(clientAuthNode.get(), dir) : null;
        f.finish();
        return new TlsConfig(cert, key, protocols, http2, clientAuth);
    }

    private static ClientAuthConfig clientAuth(ConfigNode node, Path dir) throws ConfigException {
        ConfigNode.Fields f = node.fields();
        // Required by default: a listener that names trusted CAs almost always means to insist on a certificate.
        String mode = f.choice("mode", List.of("required", "optional"), "required");
        ConfigNode caNode = f.required("trusted_ca");
        Path ca = readableFile(caNode, dir);
        List<X509Certificate> cas = caCertificates(caNode, ca);
        Path crl = null;
        Optional<ConfigNode> crlNode = f.optional("crl");
        if (crlNode.isPresent()) {
            crl = readableFile(crlNode.get(), dir);
            checkCrl(crlNode.get(), crl, cas);
        }
        f.finish();
        return new ClientAuthConfig(ClientAuthConfig.Mode.valueOf(mode.toUpperCase(Locale.ROOT)), ca, crl);
    }

    /** Parsed now so that a wrong file fails at load with its location, not as a handshake failure later. */
    private static List<X509Certificate> caCertificates(ConfigNode node, Path file) throws ConfigException {
        String expected = "a PEM file of one or more CA certificates ('-----BEGIN CERTIFICATE-----')";
        byte[] bytes = readBounded(node, file);
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (!text.contains("-----BEGIN CERTIFICATE-----")) {
            throw node.error(file + " holds no PEM certificate", expected);
        }
        if (text.contains("PRIVATE KEY-----")) {
            // A trust bundle is public: a private key in it is a mistake worth stopping for.
            throw node.error(file + " holds a private key", expected);
        }
        try {
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c :
                    CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw node.error(file + " holds no certificate", expected);
            }
            return out;
        } catch (CertificateException e) {
            throw node.error(file + " does not parse as PEM certificates", expected);
        }
    }

    private static void checkCrl(ConfigNode node, Path file, List<X509Certificate> cas) throws ConfigException {
        String expected = "a PEM or DER certificate revocation list signed by a 'trusted_ca' certificate";
        Collection<? extends CRL> crls;
        try {
            crls = CertificateFactory.getInstance("X.509")
                    .generateCRLs(new ByteArrayInputStream(readBounded(node, file)));
        } catch (CRLException | CertificateException | RuntimeException e) {
            throw node.error(file + " does not parse as a CRL", expected);
        }
        if (crls.isEmpty()) {
            throw node.error(file + " holds no CRL", expected);
        }
        for (CRL c : crls) {
            // A CRL from another CA revokes nothing here: refuse it rather than give a false sense of revocation.
            if (!(c instanceof X509CRL x) || cas.stream().noneMatch(ca -> signs(ca, x))) {
                throw node.error(file + " holds a CRL not signed by any 'trusted_ca' certificate", expected);
            }
        }
    }

    private static boolean signs(X509Certificate ca, X509CRL crl) {
        if (!ca.getSubjectX500Principal().equals(crl.getIssuerX500Principal())) {
            return false;
        }
        try {
            crl.verify(ca.getPublicKey());
            return true;
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    private static byte[] readBounded(ConfigNode node, Path file) throws ConfigException {
        try {
            if (Files.size(file) > MAX_PKI_FILE_BYTES) {
                throw node.error(file + " is larger than 4 MiB", "a certificate or CRL file of at most 4 MiB");
            }
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw node.error("a readable file (" + file + " cannot be read)");
        }
    }

    private static HstsConfig hsts(Optional<ConfigNode> node) throws ConfigException {
        if (node.isEmpty()) {
            return HstsConfig.DEFAULT;
        }
        ConfigNode.Fields f = node.get().fields();
        HstsConfig h = new HstsConfig(
                f.bool("enabled", true),
                f.duration("max_age", Duration.ZERO, Duration.ofDays(730), Duration.ofDays(365)),
                f.bool("include_subdomains", true),
                f.bool("preload", false));
        f.finish();
        return h;
    }

    static Path readableFile(ConfigNode node, Path dir) throws ConfigException {
        String value = node.asNonBlankString();
        Path p = dir == null ? Path.of(value) : dir.resolve(value);
        if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
            throw node.error("a readable file (" + p + " is missing or unreadable)");
        }
        return p;
    }

    // ---- limits and proxies

    private static LimitsConfig limits(Optional<ConfigNode> node) throws ConfigException {
        if (node.isEmpty()) {
            return LimitsConfig.DEFAULT;
        }
        LimitsConfig d = LimitsConfig.DEFAULT;
        ConfigNode.Fields f = node.get().fields();
        LimitsConfig l = new LimitsConfig(
                (int) f.bytes("max_header_bytes", 1024, 1 << 20, d.maxHeaderBytes()),
                f.integer("max_uri_length", 64, 1 << 16, d.maxUriLength()),
                f.bytes("max_body_bytes", 0, 1L << 40, d.maxBodyBytes()),
                f.duration("request_timeout", Duration.ofMillis(100), Duration.ofHours(1), d.requestTimeout()),
                f.duration("idle_timeout", Duration.ofSeconds(1), Duration.ofHours(1), d.idleTimeout()),
                f.integer("max_connections", 1, 1_000_000, d.maxConnections()),
                (int) f.bytes("max_inspected_body_bytes", 1, 64L << 20, d.maxInspectedBodyBytes()));
        f.finish();
        return l;
    }

    private static List<String> trustedProxies(Optional<ConfigNode> node) throws ConfigException {
        if (node.isEmpty()) {
            return List.of();
        }
        List<String> cidrs = node.get().asStringList();
        for (String c : cidrs) {
            IPAddressString s = new IPAddressString(c);
            if (!s.isIPAddress()) {
                throw node.get().error("\"" + c + "\"", "IPv4 or IPv6 addresses or CIDR blocks such as 10.0.0.0/8");
            }
        }
        return cidrs;
    }

    // ---- upstreams

    private static Map<String, UpstreamConfig> upstreams(ConfigNode node, Path dir, Errors errors)
            throws ConfigException {
        Map<String, UpstreamConfig> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : node.asMap().entrySet()) {
            UpstreamConfig u = errors.collect(() -> upstream(e.getKey(), e.getValue(), dir), null);
            if (u != null) {
                out.put(e.getKey(), u);
            } else {
                // Keep the name known so routes pointing at it do not report a second, misleading error.
                out.put(e.getKey(), null);
            }
        }
        if (node.asMap().isEmpty()) {
            throw node.error("at least one upstream");
        }
        return out;
    }

    private static UpstreamConfig upstream(String name, ConfigNode node, Path dir) throws ConfigException {
        if (!ROUTE_ID.matcher(name).matches()) {
            throw node.error("upstream name \"" + name + "\"", "letters, digits, '.', '_' and '-'");
        }
        ConfigNode.Fields f = node.fields();
        ConfigNode targetsNode = f.required("targets");
        List<URI> targets = new ArrayList<>();
        for (String t : targetsNode.asStringList()) {
            targets.add(target(targetsNode, t));
        }
        if (targets.isEmpty()) {
            throw targetsNode.error("at least one target URL");
        }
        Duration connect =
                f.duration("connect_timeout", Duration.ofMillis(10), Duration.ofMinutes(5), Duration.ofSeconds(5));
        Duration response =
                f.duration("response_timeout", Duration.ofMillis(10), Duration.ofHours(1), Duration.ofSeconds(30));
        int pool = f.integer("max_connections_per_target", 1, 10_000, 256);
        Duration keepAlive =
                f.duration("keep_alive_timeout", Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofSeconds(60));
        int retries = f.integer("retries", 0, 5, 1);
        int maxFailures = 5;
        Duration ejectFor = Duration.ofSeconds(10);
        Optional<ConfigNode> health = f.optional("health");
        if (health.isPresent()) {
            ConfigNode.Fields hf = health.get().fields();
            maxFailures = hf.integer("max_failures", 1, 1000, maxFailures);
            ejectFor = hf.duration("eject_for", Duration.ofMillis(100), Duration.ofHours(1), ejectFor);
            hf.finish();
        }
        Path ca = null;
        Optional<ConfigNode> caNode = f.optional("trusted_ca");
        if (caNode.isPresent()) {
            ca = readableFile(caNode.get(), dir);
        }
        boolean verifyHost = f.bool("verify_hostname", true);
        f.finish();
        return new UpstreamConfig(
                name, targets, connect, response, pool, keepAlive, retries, maxFailures, ejectFor, ca, verifyHost);
    }

    private static URI target(ConfigNode node, String text) throws ConfigException {
        String expected = "target URLs such as http://127.0.0.1:8080 or https://api.internal (no query, no user info)";
        try {
            URI u = new URI(text);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https"))
                    || u.getHost() == null
                    || u.getRawQuery() != null
                    || u.getRawUserInfo() != null
                    || u.getRawFragment() != null) {
                throw node.error("\"" + text + "\"", expected);
            }
            return u;
        } catch (URISyntaxException e) {
            throw node.error("\"" + text + "\"", expected);
        }
    }

    // ---- routes

    private static String environment(Optional<ConfigNode> node) throws ConfigException {
        if (node.isEmpty()) {
            return null;
        }
        String env = node.get().asString();
        if (!ENVIRONMENT.matcher(env).matches()) {
            throw node.get().error("an environment name: 1 to 32 lower-case letters, digits or '-' (prod, staging)");
        }
        return env;
    }

    private List<RouteConfig> routes(
            ConfigNode node,
            Map<String, UpstreamConfig> upstreams,
            Path dir,
            Errors errors,
            List<String> warnings,
            String environment,
            Map<Path, OpenApiDocument> specs)
            throws ConfigException {
        List<RouteConfig> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        Set<String> matchKeys = new HashSet<>();
        for (ConfigNode item : node.asList()) {
            RouteConfig r = errors.collect(() -> route(item, upstreams, dir, warnings, environment, specs), null);
            if (r == null) {
                continue;
            }
            if (!ids.add(r.id())) {
                errors.add(item.error("route id \"" + r.id() + "\" used twice", "unique route ids"));
            }
            for (String h : r.hosts()) {
                if (!matchKeys.add(h + " " + r.pathPrefix())) {
                    errors.add(item.error(
                            "a second route for host " + h + " and path " + r.pathPrefix(),
                            "one route per host and path prefix"));
                }
            }
            out.add(r);
        }
        if (node.asList().isEmpty()) {
            throw node.error("at least one route");
        }
        return out;
    }

    private RouteConfig route(
            ConfigNode item,
            Map<String, UpstreamConfig> upstreams,
            Path dir,
            List<String> warnings,
            String environment,
            Map<Path, OpenApiDocument> specs)
            throws ConfigException {
        ConfigNode.Fields f = item.fields();
        ConfigNode idNode = f.required("id");
        String id = idNode.asString();
        if (!ROUTE_ID.matcher(id).matches()) {
            throw idNode.error("1 to 64 letters, digits, '.', '_' or '-'");
        }
        List<String> hosts = List.of("*");
        Optional<ConfigNode> hostNode = f.optional("host");
        if (hostNode.isPresent()) {
            hosts = new ArrayList<>();
            for (String h : hostNode.get().asStringList()) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (!HOST_PATTERN.matcher(lower).matches()) {
                    throw hostNode.get().error("\"" + h + "\"", "a host name, *.domain or *");
                }
                hosts.add(lower);
            }
            if (hosts.isEmpty()) {
                throw hostNode.get().error("at least one host pattern (or leave 'host' out for any host)");
            }
        }
        ConfigNode pathNode = f.required("path");
        String path = pathNode.asString();
        if (!PATH_PREFIX.matcher(path).matches() || path.contains("//") || hasDotSegment(path)) {
            throw pathNode.error("a path prefix such as / or /api/v2 (no trailing slash, no dot segments)");
        }
        ConfigNode upstreamNode = f.required("upstream");
        String upstream = upstreamNode.asChoice(List.copyOf(upstreams.keySet()));
        boolean isPublic = f.bool("public", false);
        boolean strip = f.bool("strip_prefix", false);
        boolean preserveHost = f.bool("preserve_host", false);
        boolean hideErrors = f.bool("hide_upstream_errors", false);
        RouteOpenApi openapi = openapi(f.optional("openapi"), dir, specs);
        PolicyContext context = openapi == null
                ? new PolicyContext(dir, id, List.of(), environment, Map.of())
                : new PolicyContext(
                        dir,
                        id,
                        openapi.document().operations(),
                        environment,
                        Map.of(OpenApiDocument.class, openapi.document(), OperationMatcher.class, openapi.matcher()));
        List<Policy> policies = new ArrayList<>();
        List<String> names = new ArrayList<>();
        Optional<ConfigNode> policiesNode = f.optional("policies");
        if (policiesNode.isPresent()) {
            for (ConfigNode p : policiesNode.get().asList()) {
                Map<String, ConfigNode> entry = p.asMap();
                if (entry.size() != 1) {
                    throw p.error("a policy entry with exactly one key, its name (for example '- cors: {...}')");
                }
                Map.Entry<String, ConfigNode> e = entry.entrySet().iterator().next();
                PolicyFactory factory = registry.get(e.getKey());
                if (factory == null) {
                    ConfigNode nameNode =
                            ConfigNode.scalar(e.getValue().path(), e.getValue().location(), e.getKey(), false);
                    nameNode.asChoice(registry.names());
                }
                policies.add(createPolicy(factory, e.getValue(), context));
                names.add(e.getKey());
                String discouraged = factory.discouragedBecause();
                if (discouraged != null) {
                    warnings.add("route " + id + " uses " + e.getKey() + ", which is discouraged: " + discouraged);
                }
            }
        }
        f.finish();
        boolean authenticates = policies.stream().anyMatch(p -> p.phase() == Phase.AUTHENTICATE);
        if (!authenticates && !isPublic) {
            // Default deny: forgetting authentication must not publish an API.
            throw item.error(
                    "route \"" + id + "\" with no authentication policy",
                    "an authentication policy, or 'public: true' to serve it without authentication on purpose");
        }
        if (authenticates && isPublic) {
            warnings.add("route " + id + " is marked public but has an authentication policy; it is enforced");
        }
        return new RouteConfig(
                id, hosts, path, upstream, isPublic, strip, preserveHost, hideErrors, policies, names, openapi);
    }

    /** {@code openapi: FILE} or {@code openapi: {spec: FILE, base_path: /v1}}; a file is parsed once per load. */
    private static RouteOpenApi openapi(Optional<ConfigNode> node, Path dir, Map<Path, OpenApiDocument> specs)
            throws ConfigException {
        if (node.isEmpty()) {
            return null;
        }
        ConfigNode n = node.get();
        ConfigNode specNode;
        String basePath = null;
        if (n.kind() == ConfigNode.Kind.SCALAR) {
            specNode = n;
        } else {
            ConfigNode.Fields f = n.fields();
            specNode = f.required("spec");
            Optional<ConfigNode> base = f.optional("base_path");
            if (base.isPresent()) {
                basePath = base.get().asString();
                if (!basePath.isEmpty() && (!PATH_PREFIX.matcher(basePath).matches() || hasDotSegment(basePath))) {
                    throw base.get().error("a base path such as /v1, or \"\" for the root");
                }
            }
            f.finish();
        }
        Path file = dir.resolve(specNode.asString()).normalize();
        OpenApiDocument doc = specs.get(file);
        if (doc == null) {
            try {
                doc = OpenApiDocument.load(file);
            } catch (OpenApiException e) {
                throw specNode.error("a readable OpenAPI 3.0 or 3.1 document (" + e.getMessage() + ")");
            }
            specs.put(file, doc);
        }
        return new RouteOpenApi(file, doc, doc.matcher(basePath == null ? doc.basePath() : basePath));
    }

    private static Policy createPolicy(PolicyFactory factory, ConfigNode config, PolicyContext context)
            throws ConfigException {
        try {
            Policy p = factory.create(config, context);
            if (p == null || p.phase() == null) {
                throw new IllegalStateException("policy factory " + factory.name() + " returned no policy or phase");
            }
            return p;
        } catch (IllegalArgumentException e) {
            throw config.error("invalid settings (" + e.getMessage() + ")", "valid settings for " + factory.name());
        }
    }

    private static boolean hasDotSegment(String path) {
        for (String s : path.split("/")) {
            if (s.equals(".") || s.equals("..")) {
                return true;
            }
        }
        return false;
    }

    // ---- admin and logging

    private static AdminConfig admin(Optional<ConfigNode> node, List<String> warnings) throws ConfigException {
        if (node.isEmpty()) {
            return new AdminConfig(false, "127.0.0.1", 9901, null);
        }
        ConfigNode.Fields f = node.get().fields();
        boolean enabled = f.bool("enabled", true);
        String host = f.string("host", "127.0.0.1");
        int port = f.integer("port", 0, 65535, 9901);
        String token = null;
        Optional<ConfigNode> tokenNode = f.optional("token");
        if (tokenNode.isPresent()) {
            token = tokenNode.get().asString().trim();
            if (token.length() < MIN_ADMIN_TOKEN_LENGTH) {
                throw tokenNode
                        .get()
                        .error(
                                "a token of " + token.length() + " characters",
                                "at least " + MIN_ADMIN_TOKEN_LENGTH
                                        + " characters (generate one with: openssl rand -hex 32)");
            }
        }
        f.finish();
        if (enabled && !isLoopback(host)) {
            warnings.add("admin listener binds " + host + ", not loopback: /metrics and /health are unauthenticated");
        }
        if (enabled && token == null) {
            warnings.add("admin.token is not set: the /admin/api/ endpoints are disabled");
        }
        return new AdminConfig(enabled, host, port, token);
    }

    static boolean isLoopback(String host) {
        return host.equals("localhost") || host.startsWith("127.") || host.equals("::1") || host.equals("[::1]");
    }

    private static AccessLogConfig accessLog(Optional<ConfigNode> node, Path dir) throws ConfigException {
        if (node.isEmpty()) {
            return new AccessLogConfig(true, null, List.of(), List.of());
        }
        ConfigNode.Fields f = node.get().fields();
        boolean enabled = f.bool("enabled", true);
        Path file = null;
        Optional<ConfigNode> output = f.optional("output");
        if (output.isPresent() && !output.get().asString().equals("stdout")) {
            String v = output.get().asNonBlankString();
            file = dir == null ? Path.of(v) : dir.resolve(v);
        }
        List<String> include = lower(f.stringList("include_headers"));
        List<String> secret = lower(f.stringList("secret_headers"));
        f.finish();
        return new AccessLogConfig(enabled, file, include, secret);
    }

    private static List<String> lower(List<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).toList();
    }

    /** Collects errors from independent sections so that one mistake does not hide the next. */
    private static final class Errors {
        private final List<ConfigError> errors = new ArrayList<>();

        <T> T collect(Section<T> section, T fallback) {
            try {
                return section.run();
            } catch (ConfigException e) {
                errors.addAll(e.errors());
                return fallback;
            }
        }

        void add(ConfigException e) {
            errors.addAll(e.errors());
        }

        void throwIfAny() throws ConfigException {
            if (!errors.isEmpty()) {
                throw new ConfigException(errors);
            }
        }
    }

    @FunctionalInterface
    private interface Section<T> {
        T run() throws ConfigException;
    }
}
