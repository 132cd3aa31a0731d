package io.bulwark.policies.auth.introspection;

import static io.bulwark.policies.auth.AuthErrors.AUTH_ENVIRONMENT;
import static io.bulwark.policies.auth.introspection.IntrospectionErrors.INTROSPECTION_UNAVAILABLE;
import static io.bulwark.policies.auth.introspection.IntrospectionErrors.TOKEN_AUDIENCE;
import static io.bulwark.policies.auth.introspection.IntrospectionErrors.TOKEN_CLAIMS_INVALID;
import static io.bulwark.policies.auth.introspection.IntrospectionErrors.TOKEN_INACTIVE;
import static io.bulwark.policies.auth.introspection.IntrospectionErrors.TOKEN_ISSUER;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Exchange;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.Principal;
import io.bulwark.policies.auth.BearerTokens;
import io.bulwark.policies.auth.BoundedBody;
import io.bulwark.policies.auth.EnvironmentCheck;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Authenticates a request by an opaque token that the authorization server describes through OAuth 2.0 Token
 * Introspection (RFC 7662), and publishes the {@link Principal}. Calls never block the event loop ({@link
 * HttpClient#sendAsync} with a bounded body); results are cached by the token's SHA-256, concurrent introspections
 * of one token share one call, and the calls in flight are bounded. Whenever the server cannot give a usable answer
 * the policy fails closed with 503.
 */
final class IntrospectionPolicy implements Policy {
    private static final System.Logger LOG = System.getLogger(IntrospectionPolicy.class.getName());
    /** Longer tokens are refused without a call: no authorization server issues them, an attacker might. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private static final String RETRY_UNAVAILABLE = "5";
    private static final String RETRY_OVERLOADED = "1";

    private final IntrospectionConfig config;
    private final Clock clock;
    private final HttpClient client;
    private final String authorization;
    private final String credentialsForm;
    private final Cache<String, Cached> cache;
    private final ConcurrentHashMap<String, CompletableFuture<Outcome>> inflight = new ConcurrentHashMap<>();
    private final Semaphore permits;
    private final AtomicInteger failures = new AtomicInteger();
    /** Introspection calls started; lets tests see the cache and the coalescing work. */
    final AtomicLong calls = new AtomicLong();

    /** What one introspection (or the cache) said about a token. */
    sealed interface Outcome permits Active, Refused, Unavailable {}

    /** An active token; {@code exp} (or null) is checked again on every cached use. */
    record Active(Principal principal, Instant exp) implements Outcome {}

    /** A token the server answered about but that is not accepted here. */
    record Refused(ErrorKey key, String detail, String description) implements Outcome {}

    /**
     * No usable answer. {@code reason} is for the log only and names no token, secret or response content.
     *
     * @param retryAfter the {@code Retry-After} seconds
     */
    record Unavailable(String reason, String retryAfter) implements Outcome {}

    /** A cache entry, used until {@code until} by the policy's clock. */
    private record Cached(Outcome outcome, Instant until) {}

    IntrospectionPolicy(IntrospectionConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.client = HttpClient.newBuilder()
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        if (config.clientAuth() == IntrospectionConfig.ClientAuth.CLIENT_SECRET_BASIC) {
            // RFC 6749 §2.3.1: id and secret are form-encoded before they are joined and base64-encoded.
            String pair = form(config.clientId()) + ":" + form(config.clientSecret());
            this.authorization = "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
            this.credentialsForm = "";
        } else {
            this.authorization = null;
            this.credentialsForm =
                    "&client_id=" + form(config.clientId()) + "&client_secret=" + form(config.clientSecret());
        }
        this.cache = config.maxEntries() == 0
                ? null
                : Caffeine.newBuilder()
                        .maximumSize(config.maxEntries())
                        .expireAfter(new UntilDeadline())
                        .build();
        this.permits = new Semaphore(config.maxConcurrent());
    }

    /** How many answers the cache holds; for tests. */
    long cachedEntries() {
        if (cache == null) {
            return 0;
        }
        cache.cleanUp();
        return cache.estimatedSize();
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
        if (token.length() > MAX_TOKEN_CHARS) {
            return BearerTokens.invalidToken(TOKEN_INACTIVE, "the token is not active", "token not active")
                    .asStage();
        }
        String hash = BearerTokens.sha256(token);
        if (cache != null) {
            Cached hit = cache.getIfPresent(hash);
            if (hit != null) {
                if (clock.instant().isBefore(hit.until())) {
                    return decide(exchange, hit.outcome()).asStage();
                }
                cache.invalidate(hash);
            }
        }
        return introspect(token, hash).thenApply(outcome -> decide(exchange, outcome));
    }

    /** The introspection of this token in flight, joined, or a new one. The stage never completes exceptionally. */
    private CompletableFuture<Outcome> introspect(String token, String hash) {
        CompletableFuture<Outcome> mine = new CompletableFuture<>();
        CompletableFuture<Outcome> running = inflight.putIfAbsent(hash, mine);
        if (running != null) {
            return running;
        }
        if (!permits.tryAcquire()) {
            // Answer the requests that joined meanwhile too; nothing is cached.
            inflight.remove(hash, mine);
            mine.complete(new Unavailable("too many introspection calls in flight", RETRY_OVERLOADED));
            return mine;
        }
        calls.incrementAndGet();
        CompletableFuture<Outcome> call;
        try {
            call = call(token);
        } catch (RuntimeException e) {
            call = CompletableFuture.failedFuture(e);
        }
        call.whenComplete((outcome, error) -> {
            permits.release();
            Outcome result = error == null ? outcome : unavailable(error);
            try {
                remember(hash, result);
                report(result);
            } finally {
                // Cached first, then out of the in-flight map: a newcomer finds one or the other.
                inflight.remove(hash, mine);
                mine.complete(result);
            }
        });
        return mine;
    }

    private CompletableFuture<Outcome> call(String token) {
        String body = "token=" + form(token) + "&token_type_hint=access_token" + credentialsForm;
        HttpRequest.Builder request = HttpRequest.newBuilder(config.endpoint())
                .timeout(config.timeout())
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        long max = config.maxResponseBytes();
        CompletableFuture<HttpResponse<byte[]>> send = client.sendAsync(
                request.build(),
                info -> BoundedBody.forResponse(
                        info, max, () -> new IntrospectionException("a response over max_response_bytes")));
        // The request timeout stops at the response head; this one also bounds a slow body, and cancelling the
        // send (not a copy) aborts the exchange so that a server that never answers holds no connection.
        return send.copy()
                .orTimeout(config.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        send.cancel(true);
                    }
                })
                .thenApply(this::evaluate);
    }

    // ---- the response

    /** Reads an introspection response; throws {@link IntrospectionException} when it is not usable. */
    private Outcome evaluate(HttpResponse<byte[]> response) {
        if (response.statusCode() != 200) {
            throw new IntrospectionException("status " + response.statusCode());
        }
        Map<String, Object> doc;
        try {
            doc = JSONObjectUtils.parse(new String(response.body(), StandardCharsets.UTF_8));
        } catch (ParseException | RuntimeException | StackOverflowError e) {
            throw new IntrospectionException("a response that is not a JSON object");
        }
        if (!(doc.get("active") instanceof Boolean active)) {
            throw new IntrospectionException("a response without a boolean 'active'");
        }
        if (!active) {
            return inactive();
        }
        try {
            return activeToken(doc);
        } catch (DateTimeException e) {
            // exp: 1e300 and the like: the server answered, but with a time no Instant can hold.
            return claimsInvalid("a time member is out of range");
        }
    }

    private Outcome activeToken(Map<String, Object> doc) {
        Instant now = clock.instant();
        Object expClaim = doc.get("exp");
        Instant exp = null;
        if (expClaim instanceof Number n) {
            exp = Instant.ofEpochSecond(n.longValue());
            if (!now.isBefore(exp)) {
                return inactive();
            }
        } else if (expClaim != null) {
            return claimsInvalid("the 'exp' member is not a number");
        }
        Object nbf = doc.get("nbf");
        if (nbf instanceof Number n && Instant.ofEpochSecond(n.longValue()).isAfter(now)) {
            return inactive();
        } else if (nbf != null && !(nbf instanceof Number)) {
            return claimsInvalid("the 'nbf' member is not a number");
        }
        if (config.issuer() != null && !config.issuer().equals(doc.get("iss"))) {
            return new Refused(TOKEN_ISSUER, "the token's issuer is not accepted", "issuer not accepted");
        }
        if (!config.audiences().isEmpty() && !audienceAccepted(doc.get("aud"))) {
            return new Refused(TOKEN_AUDIENCE, "the token's audience is not accepted", "audience not accepted");
        }
        if (!config.environment().accepts(doc)) {
            return new Refused(AUTH_ENVIRONMENT, config.environment().detail(), EnvironmentCheck.DESCRIPTION);
        }
        Object sub = doc.get("sub");
        Object clientId = doc.get("client_id");
        if ((sub != null && !(sub instanceof String)) || (clientId != null && !(clientId instanceof String))) {
            return claimsInvalid("the 'sub' or 'client_id' member is not a string");
        }
        String consumer = null;
        Object named = doc.get(config.consumerClaim());
        if (named instanceof String s && !s.isEmpty()) {
            consumer = s;
        } else if (named != null && !(named instanceof String)) {
            return claimsInvalid("the consumer claim is not a string");
        } else if (sub instanceof String s && !s.isEmpty()) {
            consumer = s;
        }
        if (consumer == null) {
            return claimsInvalid("the token names no consumer (neither '" + config.consumerClaim() + "' nor 'sub')");
        }
        String subject = sub instanceof String s && !s.isEmpty()
                ? s
                : clientId instanceof String c && !c.isEmpty() ? c : consumer;
        Set<String> scopes = new LinkedHashSet<>();
        Object scope = doc.get("scope");
        if (scope instanceof String s) {
            for (String part : s.split(" ")) {
                if (!part.isEmpty()) {
                    scopes.add(part);
                }
            }
        } else if (scope != null) {
            return claimsInvalid("the 'scope' member is not a string");
        }
        Object authTimeClaim = doc.get("auth_time");
        Instant authTime = null;
        if (authTimeClaim instanceof Number n) {
            authTime = Instant.ofEpochSecond(n.longValue());
        } else if (authTimeClaim != null) {
            return claimsInvalid("the 'auth_time' member is not a number");
        }
        Map<String, Object> claims = new LinkedHashMap<>();
        doc.forEach((k, v) -> {
            if (v != null) {
                claims.put(k, v);
            }
        });
        return new Active(new Principal(consumer, subject, scopes, claims, "introspection", authTime), exp);
    }

    private boolean audienceAccepted(Object aud) {
        if (aud instanceof String s) {
            return config.audiences().contains(s);
        }
        if (aud instanceof List<?> list) {
            for (Object item : list) {
                if (item instanceof String s && config.audiences().contains(s)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static Refused inactive() {
        // One detail for revoked, expired and unknown tokens: the difference is no business of the caller.
        return new Refused(TOKEN_INACTIVE, "the token is not active", "token not active");
    }

    private static Refused claimsInvalid(String detail) {
        return new Refused(TOKEN_CLAIMS_INVALID, detail, "invalid claims");
    }

    // ---- decisions, cache, log

    private Decision decide(Exchange exchange, Outcome outcome) {
        return switch (outcome) {
            case Active a -> {
                if (a.exp() != null && !clock.instant().isBefore(a.exp())) {
                    yield decide(exchange, inactive());
                }
                exchange.attribute(Attributes.PRINCIPAL, a.principal());
                exchange.attribute(Attributes.CONSUMER_ID, a.principal().consumerId());
                yield Decision.proceed();
            }
            case Refused r -> BearerTokens.invalidToken(r.key(), r.detail(), r.description());
            case Unavailable u ->
                Decision.reject(
                        INTROSPECTION_UNAVAILABLE,
                        "the token could not be verified now; retry later",
                        Map.of("Retry-After", u.retryAfter()));
        };
    }

    private void remember(String hash, Outcome outcome) {
        if (cache == null) {
            return;
        }
        Instant now = clock.instant();
        Instant until;
        if (outcome instanceof Active a) {
            until = now.plus(config.maxTtl());
            if (a.exp() != null && a.exp().isBefore(until)) {
                until = a.exp();
            }
        } else if (outcome instanceof Refused) {
            until = now.plus(config.inactiveTtl());
        } else {
            // An outage is never remembered: the next request asks again (bounded by max_concurrent).
            return;
        }
        if (now.isBefore(until)) {
            cache.put(hash, new Cached(outcome, until));
        }
    }

    private void report(Outcome outcome) {
        if (outcome instanceof Unavailable u) {
            if (u.retryAfter().equals(RETRY_UNAVAILABLE) && failures.getAndIncrement() == 0) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "introspection: calls to {0} fail ({1}); tokens are refused with 503 until it answers",
                        config.endpoint(),
                        u.reason());
            }
        } else if (failures.getAndSet(0) > 0) {
            LOG.log(System.Logger.Level.INFO, "introspection: {0} answers again", config.endpoint());
        }
    }

    private static Unavailable unavailable(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String reason;
        if (cause instanceof IntrospectionException) {
            reason = cause.getMessage();
        } else if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            reason = "timed out";
        } else {
            reason = cause.getClass().getSimpleName();
        }
        return new Unavailable(reason, RETRY_UNAVAILABLE);
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** An unusable introspection answer, described without its content. */
    static final class IntrospectionException extends RuntimeException {
        IntrospectionException(String message) {
            super(message, null, false, false);
        }
    }

    /** Drops an entry at its deadline (Caffeine's own clock; the policy's clock is checked again on every read). */
    private final class UntilDeadline implements Expiry<String, Cached> {
        @Override
        public long expireAfterCreate(String key, Cached value, long currentTime) {
            Duration left = Duration.between(clock.instant(), value.until());
            return left.isNegative() ? 0 : left.toNanos();
        }

        @Override
        public long expireAfterUpdate(String key, Cached value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Cached value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
