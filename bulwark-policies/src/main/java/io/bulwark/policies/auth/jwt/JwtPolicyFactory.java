package io.bulwark.policies.auth.jwt;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.policies.auth.BearerTokens;
import io.bulwark.policies.auth.EnvironmentCheck;
import io.bulwark.policies.auth.RemoteUrls;
import io.bulwark.policies.auth.TokenSource;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code jwt}: authenticates requests by a signed JWT, verified against local public keys (a JWKS file and/or PEM
 * files) and/or remote keys (a JWKS URL, given or found by OIDC discovery, refreshed in the background). Asymmetric algorithms only: a gateway that shares an HMAC secret with the issuer could mint tokens.
 */
public final class JwtPolicyFactory implements PolicyFactory {
    private static final List<String> ALGORITHMS =
            List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA");
    private static final List<String> DEFAULT_ALGORITHMS = List.of("RS256", "ES256", "EdDSA", "PS256");
    private static final String ASYMMETRIC_ONLY = "asymmetric algorithms only: " + String.join(", ", ALGORITHMS);
    private static final Pattern PEM =
            Pattern.compile("-----BEGIN ([A-Z0-9 ]{1,40})-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final long MAX_KEY_FILE_BYTES = 1024 * 1024;
    private static final String PEM_EXPECTED =
            "a PEM file with a public key or certificate (RSA, EC P-256/P-384/P-521" + " or Ed25519)";
    /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410); the 32-byte key follows. */
    private static final byte[] ED25519_SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00
    };

    /** Bounds of the remote key settings. */
    static final Duration MIN_REFRESH = Duration.ofSeconds(1);

    static final Duration MAX_REFRESH = Duration.ofDays(1);
    static final Duration MIN_REFETCH_FLOOR = Duration.ofSeconds(1);
    static final Duration MIN_REFETCH_CEILING = Duration.ofHours(1);
    static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
    static final Duration MAX_TIMEOUT = Duration.ofSeconds(30);
    static final long MIN_JWKS_BYTES = 1024;
    static final long MAX_JWKS_BYTES = 16L * 1024 * 1024;

    private final Clock clock;
    private final ScheduledExecutorService scheduler;

    /** For {@link java.util.ServiceLoader}. */
    public JwtPolicyFactory() {
        this(Clock.systemUTC());
    }

    JwtPolicyFactory(Clock clock) {
        this(clock, null);
    }

    /**
     * @param scheduler runs the background JWKS refreshes; null for the shared daemon scheduler
     */
    JwtPolicyFactory(Clock clock, ScheduledExecutorService scheduler) {
        this.clock = requireNonNull(clock, "clock");
        this.scheduler = scheduler;
    }

    /** One daemon thread for the JWKS refreshes of every jwt policy in the JVM, started on first use. */
    private static final class SharedScheduler {
        static final ScheduledExecutorService INSTANCE = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bulwark-jwks-refresh");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public String name() {
        return "jwt";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        List<JWK> keys = new ArrayList<>();
        Optional<ConfigNode> jwksFile = f.optional("jwks_file");
        if (jwksFile.isPresent()) {
            keys.addAll(jwks(jwksFile.get(), context));
        }
        Optional<ConfigNode> pemFiles = f.optional("public_keys");
        if (pemFiles.isPresent()) {
            for (ConfigNode item : pemFiles.get().asItems()) {
                keys.add(pem(item, context));
            }
        }
        Set<JWSAlgorithm> algorithms = algorithms(f.optional("algorithms"));
        ConfigNode issuerNode = f.required("issuer");
        String issuer = issuerNode.asNonBlankString();
        Optional<ConfigNode> jwksUrlNode = f.optional("jwks_url");
        Optional<ConfigNode> discoveryNode = f.optional("discovery");
        boolean discovery = discoveryNode.isPresent() && discoveryNode.get().asBoolean();
        Duration refresh = f.duration("jwks_refresh", MIN_REFRESH, MAX_REFRESH, Duration.ofMinutes(5));
        Optional<ConfigNode> minRefetchNode = f.optional("jwks_min_refetch");
        Duration minRefetch =
                f.duration("jwks_min_refetch", MIN_REFETCH_FLOOR, MIN_REFETCH_CEILING, Duration.ofSeconds(30));
        Duration timeout = f.duration("jwks_timeout", MIN_TIMEOUT, MAX_TIMEOUT, Duration.ofSeconds(2));
        long maxJwksBytes = f.bytes("jwks_max_bytes", MIN_JWKS_BYTES, MAX_JWKS_BYTES, 512 * 1024);
        ConfigNode audiencesNode = f.required("audiences");
        List<String> audiences = audiencesNode.asStringList();
        if (audiences.isEmpty() || audiences.stream().anyMatch(String::isBlank)) {
            throw audiencesNode.error("a non-empty list of non-empty strings");
        }
        Duration skew = f.duration("clock_skew", Duration.ZERO, Duration.ofMinutes(5), Duration.ofSeconds(60));
        Duration maxLifetime = f.duration("max_lifetime", Duration.ofSeconds(1), Duration.ofDays(365), null);
        List<String> required = f.stringList("required_claims");
        String consumerClaim = f.string("consumer_claim", "sub");
        TokenSource source = BearerTokens.tokenSource(f.optional("token"));
        EnvironmentCheck environment = EnvironmentCheck.fromConfig(f, context);
        long maxTokenBytes = f.bytes("max_token_bytes", 256, JwtConfig.MAX_TOKEN_BYTES, 8 * 1024);
        int cacheSize = f.integer("cache_size", 0, 1_000_000, 10_000);
        String binding = f.choice("certificate_binding", List.of("required", "if_present", "off"), "if_present");
        f.finish();
        RemoteJwks.Settings remoteSettings = null;
        if (jwksUrlNode.isPresent() && discovery) {
            throw config.error("both jwks_url and discovery: true", "one of 'jwks_url' and 'discovery: true'");
        }
        if (jwksUrlNode.isPresent()) {
            URI url;
            try {
                url = RemoteJwks.remoteUri(jwksUrlNode.get().asNonBlankString());
            } catch (IllegalArgumentException e) {
                throw jwksUrlNode.get().error(e.getMessage(), RemoteUrls.EXPECTED);
            }
            remoteSettings = new RemoteJwks.Settings(url, null, issuer, refresh, minRefetch, timeout, maxJwksBytes);
        } else if (discovery) {
            URI url;
            try {
                RemoteJwks.remoteUri(issuer);
                String base = issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
                url = RemoteJwks.remoteUri(base + "/.well-known/openid-configuration");
            } catch (IllegalArgumentException e) {
                throw issuerNode.error(e.getMessage() + " with discovery: true", RemoteUrls.EXPECTED);
            }
            remoteSettings = new RemoteJwks.Settings(null, url, issuer, refresh, minRefetch, timeout, maxJwksBytes);
        } else if (f.has("jwks_refresh")
                || minRefetchNode.isPresent()
                || f.has("jwks_timeout")
                || f.has("jwks_max_bytes")) {
            throw config.error("jwks_* settings without a remote key source", "'jwks_url' or 'discovery: true'");
        }
        if (minRefetch.compareTo(refresh) > 0) {
            throw minRefetchNode
                    .orElse(config)
                    .error(format(minRefetch) + " > jwks_refresh " + format(refresh), "at most jwks_refresh");
        }
        if (keys.isEmpty() && remoteSettings == null) {
            throw config.error(
                    jwksFile.isEmpty() && pemFiles.isEmpty() ? "no key source" : "no signature key",
                    "'jwks_file', 'public_keys', 'jwks_url' and/or 'discovery: true' with at least one public"
                            + " signature key");
        }
        if (consumerClaim.isBlank()) {
            throw config.error("a blank consumer_claim", "a claim name");
        }
        JwtKeys verifiers;
        JwtConfig jwtConfig;
        try {
            jwtConfig = new JwtConfig(
                    keys,
                    algorithms,
                    issuer,
                    new LinkedHashSet<>(audiences),
                    skew,
                    maxLifetime,
                    required,
                    consumerClaim,
                    source,
                    (int) maxTokenBytes,
                    cacheSize,
                    environment,
                    JwtConfig.CertificateBinding.valueOf(binding.toUpperCase(Locale.ROOT)));
            verifiers = new JwtKeys(jwtConfig.keys(), jwtConfig.algorithms());
        } catch (IllegalArgumentException | JOSEException e) {
            throw config.error("unusable keys or settings", "valid settings (" + e.getMessage() + ")");
        }
        if (remoteSettings == null && !verifiers.usable()) {
            throw config.error("no key for the allowed algorithms", "a key that can verify one of 'algorithms'");
        }
        if (remoteSettings == null) {
            return new JwtPolicy(jwtConfig, verifiers, clock);
        }
        RemoteJwks remote;
        try {
            remote = new RemoteJwks(
                    remoteSettings,
                    jwtConfig.keys(),
                    jwtConfig.algorithms(),
                    clock,
                    scheduler != null ? scheduler : SharedScheduler.INSTANCE);
        } catch (JOSEException e) {
            throw config.error("unusable keys", "valid keys");
        }
        JwtPolicy policy = new JwtPolicy(jwtConfig, verifiers, remote, clock);
        // Never blocks: the config loads even when the identity provider is down.
        remote.start();
        return policy;
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
    }

    private static Set<JWSAlgorithm> algorithms(Optional<ConfigNode> node) throws ConfigException {
        if (node.isEmpty()) {
            Set<JWSAlgorithm> out = new LinkedHashSet<>();
            DEFAULT_ALGORITHMS.forEach(a -> out.add(JWSAlgorithm.parse(a)));
            return out;
        }
        Set<JWSAlgorithm> out = new LinkedHashSet<>();
        for (ConfigNode item : node.get().asItems()) {
            String name = item.asString();
            String upper = name.toUpperCase(Locale.ROOT);
            if (upper.equals("NONE") || upper.startsWith("HS")) {
                throw item.error(ASYMMETRIC_ONLY);
            }
            out.add(JWSAlgorithm.parse(item.asChoice(ALGORITHMS)));
        }
        if (out.isEmpty()) {
            throw node.get().error("at least one algorithm");
        }
        return out;
    }

    // ---- keys (read once, at load, where blocking file I/O is allowed)

    private static List<JWK> jwks(ConfigNode node, PolicyContext context) throws ConfigException {
        String text = read(node, context);
        JWKSet set;
        try {
            set = JWKSet.parse(text);
        } catch (ParseException e) {
            // The parser's message may quote key material: keep it out of the error.
            throw node.error("a JWKS file that does not parse", "a JSON Web Key Set ({\"keys\": [...]})");
        }
        List<JWK> out = new ArrayList<>();
        for (JWK key : set.getKeys()) {
            if (KeyType.OCT.equals(key.getKeyType())) {
                throw node.error("a symmetric (oct) key", "public keys only (" + ASYMMETRIC_ONLY + ")");
            }
            if (KeyUse.ENCRYPTION.equals(key.getKeyUse())) {
                // Encryption keys share JWKS documents with signing keys; they never verify a signature.
                continue;
            }
            try {
                JwtKeys.algorithmsFor(key);
            } catch (IllegalArgumentException e) {
                throw node.error("an unsupported key", e.getMessage());
            }
            // A JWKS that also holds private parts is accepted, but only the public part is ever kept in memory.
            out.add(key.toPublicJWK());
        }
        return out;
    }

    private static JWK pem(ConfigNode node, PolicyContext context) throws ConfigException {
        String text = read(node, context);
        Matcher m = PEM.matcher(text);
        if (!m.find()) {
            throw node.error("a file without a PEM block", PEM_EXPECTED);
        }
        String type = m.group(1);
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(m.group(2));
        } catch (IllegalArgumentException e) {
            throw node.error("a PEM block that does not decode", PEM_EXPECTED);
        }
        String kid = Path.of(node.asString()).getFileName().toString();
        try {
            PublicKey key = switch (type) {
                case "PUBLIC KEY" -> publicKey(der);
                case "CERTIFICATE" ->
                    CertificateFactory.getInstance("X.509")
                            .generateCertificate(new ByteArrayInputStream(der))
                            .getPublicKey();
                default ->
                    throw node.error(
                            type.contains("PRIVATE") ? "a private key" : "a PEM " + type.toLowerCase(Locale.ROOT),
                            PEM_EXPECTED);
            };
            return toJwk(key, der, kid, type);
        } catch (GeneralSecurityException | IllegalArgumentException | IllegalStateException e) {
            throw node.error("a PEM key that does not parse or is not supported", PEM_EXPECTED);
        }
    }

    private static PublicKey publicKey(byte[] der) throws GeneralSecurityException {
        X509EncodedKeySpec spec = new X509EncodedKeySpec(der);
        for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePublic(spec);
            } catch (GeneralSecurityException e) {
                // Not this type; try the next.
            }
        }
        throw new GeneralSecurityException("unsupported public key");
    }

    private static JWK toJwk(PublicKey key, byte[] der, String kid, String pemType) {
        if (key instanceof RSAPublicKey rsa) {
            return new RSAKey.Builder(rsa).keyID(kid).build();
        }
        if (key instanceof ECPublicKey ec) {
            Curve curve = Curve.forECParameterSpec(ec.getParams());
            if (curve == null) {
                throw new IllegalArgumentException("curve");
            }
            return new ECKey.Builder(curve, ec).keyID(kid).build();
        }
        if (key.getAlgorithm().equals("EdDSA") || key.getAlgorithm().equals("Ed25519")) {
            byte[] spki = pemType.equals("PUBLIC KEY") ? der : key.getEncoded();
            if (spki.length != ED25519_SPKI_PREFIX.length + 32
                    || !Arrays.equals(
                            spki, 0, ED25519_SPKI_PREFIX.length, ED25519_SPKI_PREFIX, 0, ED25519_SPKI_PREFIX.length)) {
                throw new IllegalArgumentException("not Ed25519");
            }
            byte[] x = Arrays.copyOfRange(spki, ED25519_SPKI_PREFIX.length, spki.length);
            return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x))
                    .keyID(kid)
                    .build();
        }
        throw new IllegalArgumentException("unsupported key");
    }

    private static String read(ConfigNode node, PolicyContext context) throws ConfigException {
        Path path = context.configDirectory().resolve(node.asNonBlankString());
        try {
            if (Files.size(path) > MAX_KEY_FILE_BYTES) {
                throw node.error("a file over 1 MiB", "a key file of at most 1 MiB");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw node.error("a file that cannot be read", "a readable key file");
        }
    }
}
