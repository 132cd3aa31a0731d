package io.bulwark.policies.auth.jwt;

import static io.bulwark.policies.auth.jwt.JwtErrors.AUTH_ENVIRONMENT;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWKS_UNAVAILABLE;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_ALG_NOT_ALLOWED;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_AUDIENCE;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_CERT_BINDING;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_CLAIMS_INVALID;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_CLAIM_MISSING;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_EXPIRED;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_ISSUER;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_KEY_UNKNOWN;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_LIFETIME;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_MALFORMED;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_NOT_YET_VALID;
import static io.bulwark.policies.auth.jwt.JwtErrors.JWT_SIGNATURE_INVALID;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Exchange;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.Principal;
import io.bulwark.policies.auth.BearerTokens;
import io.bulwark.policies.auth.EnvironmentCheck;
import io.bulwark.policies.auth.jwt.JwtConfig.CertificateBinding;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Authenticates a request by a signed JWT verified against local and/or remote public keys, and publishes the
 * {@link Principal}. Verification is CPU work, done once per distinct token thanks to a bounded cache; the only
 * asynchronous answer is a token naming an unknown key while remote keys are configured, which may wait for one
 * (rate-limited, coalesced) JWKS refetch.
 */
final class JwtPolicy implements Policy {
    /** A cache entry never outlives this, whatever the token's exp says. */
    private static final Duration MAX_CACHE_TIME = Duration.ofHours(1);

    private final JwtConfig config;
    private final JwtKeys keys;
    /** Remote keys (merged with the local ones), or null when only local keys are configured. */
    private final RemoteJwks remote;

    private final Clock clock;
    private final Cache<String, Verified> cache;
    /** Signature checks performed; lets tests see the cache work. */
    final AtomicLong verifications = new AtomicLong();

    /** A token that passed every check; time claims are checked again on every use. */
    record Verified(Principal principal, Instant exp, Instant nbf, Instant iat) {}

    /** A refusal, carried out of the checks without building the response headers twice. */
    private record Failure(ErrorKey key, String detail, String description) {}

    JwtPolicy(JwtConfig config, JwtKeys keys, Clock clock) {
        this(config, keys, null, clock);
    }

    JwtPolicy(JwtConfig config, JwtKeys keys, RemoteJwks remote, Clock clock) {
        this.config = config;
        this.keys = keys;
        this.remote = remote;
        this.clock = clock;
        this.cache = config.cacheSize() == 0
                ? null
                : Caffeine.newBuilder()
                        .maximumSize(config.cacheSize())
                        .expireAfter(new UntilExpiry())
                        .build();
        if (remote != null) {
            // A key set change (a key removed by rotation) must not leave tokens verified by it in the cache.
            remote.onChange(() -> {
                if (cache != null) {
                    cache.invalidateAll();
                }
            });
        }
    }

    /** The remote key source, or null; for tests. */
    RemoteJwks remote() {
        return remote;
    }

    @Override
    public Phase phase() {
        return Phase.AUTHENTICATE;
    }

    @Override
    public CompletionStage<Decision> onRequest(Exchange exchange) {
        BearerTokens.Extraction extraction = BearerTokens.extract(exchange, config.tokenSource());
        if (extraction.refusal() != null) {
            return extraction.refusal().asStage();
        }
        String token = extraction.token();
        if (token.length() > config.maxTokenBytes()) {
            return reject(new Failure(JWT_MALFORMED, "the token is too large", "token too large"));
        }
        Object outcome = authenticate(token);
        if (remote != null && outcome instanceof Failure f && f.key() == JWT_KEY_UNKNOWN) {
            // Perhaps a key the identity provider has just rotated in: refetch, at most once per min_refetch.
            CompletableFuture<Void> refetch = remote.refetchForUnknownKey();
            if (refetch == null) {
                return remote.snapshot().loaded() ? reject(f) : unavailable();
            }
            return refetch.thenApply(ignored -> {
                Object again = authenticate(token);
                if (again instanceof Failure g
                        && g.key() == JWT_KEY_UNKNOWN
                        && !remote.snapshot().loaded()) {
                    return unavailableDecision();
                }
                return finish(exchange, again);
            });
        }
        return finish(exchange, outcome).asStage();
    }

    private Decision finish(Exchange exchange, Object outcome) {
        if (outcome instanceof Failure f) {
            return rejectDecision(f);
        }
        Principal p = ((Verified) outcome).principal();
        Failure unbound = certificateBinding(exchange, p);
        if (unbound != null) {
            return rejectDecision(unbound);
        }
        exchange.attribute(Attributes.PRINCIPAL, p);
        exchange.attribute(Attributes.CONSUMER_ID, p.consumerId());
        return Decision.proceed();
    }

    /**
     * RFC 8705 section 3: a certificate-bound token is only good together with its certificate, so a stolen token
     * is useless without the client's private key. Checked on every request, cached token or not: the token is
     * the same, the connection is not.
     */
    private Failure certificateBinding(Exchange exchange, Principal p) {
        CertificateBinding mode = config.certificateBinding();
        if (mode == CertificateBinding.OFF) {
            return null;
        }
        Object cnf = p.claims().get("cnf");
        Object bound = cnf instanceof Map<?, ?> m ? m.get("x5t#S256") : null;
        if (cnf != null && !(cnf instanceof Map<?, ?>)) {
            return certBinding("the token's 'cnf' claim is not an object");
        }
        if (bound == null) {
            return mode == CertificateBinding.REQUIRED
                    ? certBinding("the token is not bound to a client certificate")
                    : null;
        }
        if (!(bound instanceof String expected) || expected.isEmpty()) {
            return certBinding("the token's 'cnf.x5t#S256' claim is not a string");
        }
        List<X509Certificate> chain = exchange.clientCertificates();
        if (chain.isEmpty()) {
            return certBinding("the token is bound to a client certificate and none was presented");
        }
        byte[] actual;
        try {
            actual = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encode(MessageDigest.getInstance("SHA-256")
                            .digest(chain.get(0).getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return certBinding("the client certificate cannot be read");
        }
        // Constant time: the thumbprint is not secret, but nothing should leak how close a guess came.
        if (!MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), actual)) {
            return certBinding("the token is bound to another client certificate");
        }
        return null;
    }

    private static Failure certBinding(String detail) {
        return new Failure(JWT_CERT_BINDING, detail, "certificate binding mismatch");
    }

    /** A {@link Verified} or a {@link Failure}. */
    private Object authenticate(String token) {
        String hash = cache == null ? null : BearerTokens.sha256(token);
        if (cache != null) {
            Verified hit = cache.getIfPresent(hash);
            if (hit != null) {
                Failure f = checkTimes(hit.exp(), hit.nbf(), hit.iat());
                return f != null ? f : hit;
            }
        }
        JwtKeys current = currentKeys();
        Object outcome = verify(token, current);
        if (cache != null && outcome instanceof Verified v) {
            cache.put(hash, v);
            if (current != currentKeys()) {
                // The keys changed during the check: do not remember a token verified by a key now gone.
                cache.invalidate(hash);
            }
        }
        return outcome;
    }

    private JwtKeys currentKeys() {
        return remote == null ? keys : remote.snapshot().keys();
    }

    private Object verify(String token, JwtKeys keySet) {
        SignedJWT jwt;
        try {
            if (!compactForm(token)) {
                throw new ParseException("not three base64url parts", 0);
            }
            jwt = SignedJWT.parse(token);
        } catch (ParseException | RuntimeException e) {
            return isUnsecured(token)
                    ? new Failure(JWT_ALG_NOT_ALLOWED, "unsigned tokens are not accepted", "algorithm not allowed")
                    : new Failure(JWT_MALFORMED, "the token is not a signed JWT", "malformed token");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!config.algorithms().contains(alg)) {
            return new Failure(
                    JWT_ALG_NOT_ALLOWED, "the token's signature algorithm is not allowed", "algorithm not allowed");
        }
        List<JwtKeys.Entry> candidates;
        String kid = jwt.getHeader().getKeyID();
        if (kid != null) {
            JwtKeys.Entry entry = keySet.byKid(kid);
            if (entry == null) {
                return new Failure(JWT_KEY_UNKNOWN, "no key matches the token's key id", "unknown key");
            }
            if (!entry.algorithms().contains(alg)) {
                // The named key exists but belongs to another family: never let a token pick how a key is used.
                return new Failure(
                        JWT_ALG_NOT_ALLOWED, "the token's algorithm does not fit its key", "algorithm not allowed");
            }
            candidates = List.of(entry);
        } else {
            candidates = keySet.candidates(alg);
            if (candidates.isEmpty()) {
                return new Failure(JWT_KEY_UNKNOWN, "no key can verify the token's algorithm", "unknown key");
            }
        }
        if (!signatureValid(jwt, candidates)) {
            return new Failure(JWT_SIGNATURE_INVALID, "the token's signature is invalid", "invalid signature");
        }
        try {
            return checkClaims(jwt.getJWTClaimsSet());
        } catch (ParseException | RuntimeException e) {
            return claimsInvalid("the token's claims are not a valid claim set");
        }
    }

    private boolean signatureValid(SignedJWT jwt, List<JwtKeys.Entry> candidates) {
        verifications.incrementAndGet();
        for (JwtKeys.Entry entry : candidates) {
            try {
                if (entry.verifier().verify(jwt.getHeader(), jwt.getSigningInput(), jwt.getSignature())) {
                    return true;
                }
            } catch (JOSEException | RuntimeException e) {
                // A malformed signature (wrong length, bad DER) is simply not a valid one.
            }
        }
        return false;
    }

    private Object checkClaims(JWTClaimsSet claims) throws ParseException {
        Instant exp = instant(claims.getExpirationTime());
        if (exp == null) {
            return claimsInvalid("the token has no 'exp' claim");
        }
        Instant nbf = instant(claims.getNotBeforeTime());
        Instant iat = instant(claims.getIssueTime());
        Failure timing = checkTimes(exp, nbf, iat);
        if (timing != null) {
            return timing;
        }
        if (!config.issuer().equals(claims.getIssuer())) {
            return new Failure(JWT_ISSUER, "the token's issuer is not accepted", "issuer not accepted");
        }
        if (claims.getAudience().stream().noneMatch(config.audiences()::contains)) {
            return new Failure(JWT_AUDIENCE, "the token's audience is not accepted", "audience not accepted");
        }
        if (!config.environment().accepts(claims.toJSONObject())) {
            return new Failure(AUTH_ENVIRONMENT, config.environment().detail(), EnvironmentCheck.DESCRIPTION);
        }
        if (config.maxLifetime() != null) {
            Instant from = iat != null ? iat : clock.instant();
            if (Duration.between(from, exp).compareTo(config.maxLifetime()) > 0) {
                return new Failure(JWT_LIFETIME, "the token's lifetime is too long", "lifetime too long");
            }
        }
        for (String name : config.requiredClaims()) {
            if (claims.getClaim(name) == null) {
                // The name comes from the config, so it is safe to show; the value never is.
                return new Failure(
                        JWT_CLAIM_MISSING, "the required claim '" + name + "' is missing", "required claim missing");
            }
        }
        String sub = claims.getSubject();
        if (sub == null || sub.isEmpty()) {
            return claimsInvalid("the token has no 'sub' claim");
        }
        String consumer = sub;
        Object named = claims.getClaim(config.consumerClaim());
        if (named instanceof String s && !s.isEmpty()) {
            consumer = s;
        } else if (named != null) {
            return claimsInvalid("the consumer claim is not a string");
        }
        Set<String> scopes = scopes(claims);
        if (scopes == null) {
            return claimsInvalid("the 'scope' or 'scp' claim is not a string or a list of strings");
        }
        Object authTimeClaim = claims.getClaim("auth_time");
        Instant authTime = null;
        if (authTimeClaim instanceof Number n) {
            authTime = Instant.ofEpochSecond(n.longValue());
        } else if (authTimeClaim != null) {
            return claimsInvalid("the 'auth_time' claim is not a number");
        }
        Principal p = new Principal(consumer, sub, scopes, claims.toJSONObject(), "jwt", authTime);
        return new Verified(p, exp, nbf, iat);
    }

    /** The time checks, run on every use: a cached token is never used past exp + skew. */
    private Failure checkTimes(Instant exp, Instant nbf, Instant iat) {
        Instant now = clock.instant();
        Duration skew = config.clockSkew();
        if (now.isAfter(exp.plus(skew))) {
            return new Failure(JWT_EXPIRED, "the token has expired", "token expired");
        }
        if (nbf != null && nbf.minus(skew).isAfter(now)) {
            return new Failure(JWT_NOT_YET_VALID, "the token is not valid yet", "token not yet valid");
        }
        if (iat != null && iat.minus(skew).isAfter(now)) {
            return new Failure(JWT_NOT_YET_VALID, "the token was issued in the future", "token not yet valid");
        }
        return null;
    }

    /** The scopes from {@code scope} (space separated) or {@code scp}; null when a claim has the wrong type. */
    private static Set<String> scopes(JWTClaimsSet claims) {
        Object scope = claims.getClaim("scope");
        if (scope == null) {
            scope = claims.getClaim("scp");
        }
        Set<String> out = new LinkedHashSet<>();
        if (scope == null) {
            return out;
        }
        if (scope instanceof String s) {
            for (String part : s.split(" ")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
            return out;
        }
        if (scope instanceof List<?> list) {
            for (Object item : list) {
                if (!(item instanceof String s)) {
                    return null;
                }
                out.add(s);
            }
            return out;
        }
        return null;
    }

    private static Failure claimsInvalid(String detail) {
        return new Failure(JWT_CLAIMS_INVALID, detail, "invalid claims");
    }

    private static Instant instant(Date d) {
        return d == null ? null : d.toInstant();
    }

    /**
     * Three non-empty base64url parts without padding. Nimbus decodes the payload lazily and leniently, so without
     * this a payload of junk would only surface as a signature failure.
     */
    static boolean compactForm(String token) {
        int dots = 0;
        int partLength = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '.') {
                if (partLength == 0 || ++dots > 2) {
                    return false;
                }
                partLength = 0;
            } else if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_') {
                partLength++;
            } else {
                return false;
            }
        }
        return dots == 2 && partLength > 0;
    }

    /** True for an {@code alg: none} token, which Nimbus refuses to parse as a signed JWT. */
    private static boolean isUnsecured(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return false;
        }
        try {
            return Algorithm.NONE.equals(
                    Header.parse(new Base64URL(token.substring(0, dot))).getAlgorithm());
        } catch (ParseException | RuntimeException e) {
            return false;
        }
    }

    // ---- responses

    private static CompletionStage<Decision> reject(Failure f) {
        return rejectDecision(f).asStage();
    }

    private static Decision rejectDecision(Failure f) {
        return BearerTokens.invalidToken(f.key(), f.detail(), f.description());
    }

    /** Fail closed while no remote key has ever been fetched. */
    private static CompletionStage<Decision> unavailable() {
        return unavailableDecision().asStage();
    }

    private static Decision unavailableDecision() {
        return Decision.reject(
                JWKS_UNAVAILABLE, "the token signing keys are not available yet", Map.of("Retry-After", "5"));
    }

    /** Drops a cached token when it expires (bounded, so a far-future exp cannot pin an entry for years). */
    private final class UntilExpiry implements Expiry<String, Verified> {
        @Override
        public long expireAfterCreate(String key, Verified value, long currentTime) {
            Duration left = Duration.between(clock.instant(), value.exp().plus(config.clockSkew()));
            if (left.isNegative()) {
                return 0;
            }
            return (left.compareTo(MAX_CACHE_TIME) > 0 ? MAX_CACHE_TIME : left).toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Verified value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Verified value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
