package io.bulwark.policies.auth.jwt;

import static java.util.Objects.requireNonNull;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.bulwark.policies.auth.BoundedBody;
import io.bulwark.policies.auth.RemoteUrls;
import java.lang.ref.WeakReference;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Signing keys fetched from a JWKS URL (given, or found by OIDC discovery), merged with the local keys. The merged
 * set is an immutable {@link JwtKeys} swapped atomically after each successful fetch; a failed fetch keeps the last
 * good keys. Nothing here blocks: fetches use {@link HttpClient#sendAsync} and refreshes run on a scheduler.
 */
final class RemoteJwks {
    private static final System.Logger LOG = System.getLogger(RemoteJwks.class.getName());
    private static final Duration MAX_AGE_CEILING = Duration.ofDays(1);
    private static final Pattern MAX_AGE = Pattern.compile("(?i)(?:^|[,\\s])max-age\\s*=\\s*\"?(\\d{1,10})\"?");

    /**
     * Where the keys come from and how often.
     *
     * @param jwksUrl the JWKS URL, or null with discovery
     * @param discoveryUrl the OIDC discovery document URL, or null without discovery
     * @param issuer the issuer the discovery document must name
     */
    record Settings(
            URI jwksUrl,
            URI discoveryUrl,
            String issuer,
            Duration refresh,
            Duration minRefetch,
            Duration timeout,
            long maxBytes) {
        Settings {
            if ((jwksUrl == null) == (discoveryUrl == null)) {
                throw new IllegalArgumentException("exactly one of jwksUrl and discoveryUrl");
            }
            requireNonNull(issuer, "issuer");
            requireNonNull(refresh, "refresh");
            requireNonNull(minRefetch, "minRefetch");
            requireNonNull(timeout, "timeout");
        }
    }

    /** The keys in use, and whether a remote fetch has ever succeeded. */
    record Snapshot(JwtKeys keys, boolean loaded) {}

    private final Settings settings;
    private final List<JWK> localKeys;
    private final Set<JWSAlgorithm> allowed;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final HttpClient client;

    private volatile Snapshot snapshot;
    private volatile Runnable onChange = () -> {};

    /** Guarded by this. */
    private CompletableFuture<Void> inflight;

    private Instant lastAttempt;
    private ScheduledFuture<?> next;
    private int failures;
    private URI discoveredJwks;

    RemoteJwks(
            Settings settings,
            List<JWK> localKeys,
            Set<JWSAlgorithm> allowed,
            Clock clock,
            ScheduledExecutorService scheduler)
            throws JOSEException {
        this.settings = requireNonNull(settings, "settings");
        this.localKeys = List.copyOf(localKeys);
        this.allowed = Set.copyOf(allowed);
        this.clock = requireNonNull(clock, "clock");
        this.scheduler = requireNonNull(scheduler, "scheduler");
        this.client = HttpClient.newBuilder()
                .connectTimeout(settings.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.snapshot = new Snapshot(new JwtKeys(this.localKeys, this.allowed), false);
    }

    /** Called after every key swap (the policy drops its verified-token cache). */
    void onChange(Runnable listener) {
        this.onChange = requireNonNull(listener, "listener");
    }

    Snapshot snapshot() {
        return snapshot;
    }

    /** Starts the first fetch; the background refresh follows from it. */
    void start() {
        refresh();
    }

    /** Fetches now, or joins the fetch in flight. The stage never completes exceptionally. */
    synchronized CompletableFuture<Void> refresh() {
        if (inflight != null) {
            return inflight;
        }
        lastAttempt = clock.instant();
        CompletableFuture<Void> f = new CompletableFuture<>();
        inflight = f;
        fetch().whenComplete((result, error) -> {
            Duration delay = completed(result, error);
            synchronized (this) {
                inflight = null;
            }
            schedule(delay);
            f.complete(null);
        });
        return f;
    }

    /**
     * For an unknown key: a refetch (or the one in flight), or null when the last attempt is more recent than
     * {@code jwks_min_refetch}, so that a flood of random kids never reaches the identity provider.
     */
    synchronized CompletableFuture<Void> refetchForUnknownKey() {
        if (inflight != null) {
            return inflight;
        }
        if (lastAttempt != null
                && Duration.between(lastAttempt, clock.instant()).compareTo(settings.minRefetch()) < 0) {
            return null;
        }
        return refresh();
    }

    /** The fetch in flight, or a completed stage; for tests. */
    synchronized CompletableFuture<Void> pending() {
        return inflight != null ? inflight : CompletableFuture.completedFuture(null);
    }

    // ---- fetching

    /** The result of a successful fetch. */
    private record Fetched(List<JWK> keys, Duration maxAge) {}

    private CompletableFuture<Fetched> fetch() {
        CompletableFuture<URI> jwksUri;
        URI known;
        synchronized (this) {
            known = settings.jwksUrl() != null ? settings.jwksUrl() : discoveredJwks;
        }
        if (known != null) {
            jwksUri = CompletableFuture.completedFuture(known);
        } else {
            jwksUri = get(settings.discoveryUrl()).thenApply(r -> discover(r.body()));
        }
        return jwksUri.thenCompose(uri -> get(uri).thenApply(r -> {
            List<JWK> keys = parseJwks(r.body());
            synchronized (this) {
                if (settings.discoveryUrl() != null) {
                    discoveredJwks = uri;
                }
            }
            return new Fetched(keys, maxAge(r));
        }));
    }

    private CompletableFuture<HttpResponse<byte[]>> get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(settings.timeout())
                .header("Accept", "application/json")
                .GET()
                .build();
        CompletableFuture<HttpResponse<byte[]>> send =
                client.sendAsync(request, info -> bounded(info, settings.maxBytes()));
        // The request timeout stops at the response head; this one also bounds a slow body.
        return send.orTimeout(settings.timeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((r, e) -> {
                    if (e != null) {
                        send.cancel(true);
                    }
                })
                .thenApply(r -> {
                    if (r.statusCode() != 200) {
                        throw new FetchException("status " + r.statusCode() + " from " + uri);
                    }
                    return r;
                });
    }

    private URI discover(byte[] body) {
        Map<String, Object> doc;
        try {
            doc = JSONObjectUtils.parse(new String(body, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new FetchException("a discovery document that does not parse");
        }
        if (!(doc.get("issuer") instanceof String issuer) || !issuer.equals(settings.issuer())) {
            throw new FetchException("a discovery document whose issuer is not the configured issuer");
        }
        if (!(doc.get("jwks_uri") instanceof String jwks)) {
            throw new FetchException("a discovery document without jwks_uri");
        }
        try {
            return remoteUri(jwks);
        } catch (IllegalArgumentException e) {
            throw new FetchException("a discovery document with an unusable jwks_uri (" + e.getMessage() + ")");
        }
    }

    /** The usable signature keys of a JWKS document; other keys are skipped, duplicate kids refuse it. */
    private static List<JWK> parseJwks(byte[] body) {
        JWKSet set;
        try {
            set = JWKSet.parse(new String(body, StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw new FetchException("a JWKS document that does not parse");
        }
        List<JWK> out = new ArrayList<>();
        Set<String> kids = new HashSet<>();
        for (JWK key : set.getKeys()) {
            if (KeyType.OCT.equals(key.getKeyType()) || KeyUse.ENCRYPTION.equals(key.getKeyUse())) {
                continue;
            }
            try {
                JwtKeys.algorithmsFor(key);
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (key.getKeyID() != null && !kids.add(key.getKeyID())) {
                throw new FetchException("a JWKS document with a duplicate kid");
            }
            out.add(key.toPublicJWK());
        }
        return out;
    }

    private static Duration maxAge(HttpResponse<?> r) {
        for (String value : r.headers().allValues("Cache-Control")) {
            if (value.toLowerCase(Locale.ROOT).contains("no-store")
                    || value.toLowerCase(Locale.ROOT).contains("no-cache")) {
                return Duration.ZERO;
            }
            Matcher m = MAX_AGE.matcher(value);
            if (m.find()) {
                return Duration.ofSeconds(Long.parseLong(m.group(1)));
            }
        }
        return null;
    }

    /** Applies a fetch result; returns the delay until the next refresh. */
    private Duration completed(Fetched fetched, Throwable error) {
        if (error == null) {
            try {
                swap(fetched.keys());
                if (failures > 0) {
                    LOG.log(System.Logger.Level.INFO, "jwt: JWKS fetch from {0} works again", source());
                }
                failures = 0;
                Duration maxAge = fetched.maxAge();
                if (maxAge == null) {
                    return settings.refresh();
                }
                return clamp(maxAge, settings.minRefetch(), MAX_AGE_CEILING);
            } catch (JOSEException | RuntimeException e) {
                error = e;
            }
        }
        synchronized (this) {
            // Discover again next time: the jwks_uri may have moved.
            discoveredJwks = null;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (failures++ == 0) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "jwt: JWKS fetch from {0} failed ({1}); {2}",
                    source(),
                    describe(cause),
                    snapshot.loaded() ? "the cached keys stay in use" : "no remote key is available yet");
        }
        // Back off: min_refetch, doubling, up to the refresh interval.
        long factor = 1L << Math.min(failures - 1, 20);
        Duration backoff = settings.minRefetch().multipliedBy(factor);
        return backoff.compareTo(settings.refresh()) > 0 ? settings.refresh() : backoff;
    }

    private void swap(List<JWK> remote) throws JOSEException {
        Set<String> localKids = new HashSet<>();
        for (JWK k : localKeys) {
            if (k.getKeyID() != null) {
                localKids.add(k.getKeyID());
            }
        }
        List<JWK> merged = new ArrayList<>(localKeys);
        for (JWK k : remote) {
            // A local key wins over a remote key of the same kid.
            if (k.getKeyID() == null || !localKids.contains(k.getKeyID())) {
                merged.add(k);
            }
        }
        snapshot = new Snapshot(new JwtKeys(merged, allowed), true);
        onChange.run();
    }

    private void schedule(Duration delay) {
        WeakReference<RemoteJwks> self = new WeakReference<>(this);
        synchronized (this) {
            if (next != null) {
                next.cancel(false);
            }
            try {
                // The task holds this weakly: a policy dropped by a config reload stops refreshing.
                next = scheduler.schedule(
                        () -> {
                            RemoteJwks r = self.get();
                            if (r != null) {
                                r.refresh();
                            }
                        },
                        Math.max(1, delay.toMillis()),
                        TimeUnit.MILLISECONDS);
            } catch (RuntimeException e) {
                // A scheduler shut down (tests, shutdown): refreshes then only happen on unknown kids.
                next = null;
            }
        }
    }

    private String source() {
        return String.valueOf(settings.jwksUrl() != null ? settings.jwksUrl() : settings.discoveryUrl());
    }

    private static String describe(Throwable t) {
        if (t instanceof FetchException) {
            return t.getMessage();
        }
        if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.http.HttpTimeoutException) {
            return "timed out";
        }
        return t.getClass().getSimpleName();
    }

    private static Duration clamp(Duration d, Duration min, Duration max) {
        return d.compareTo(min) < 0 ? min : d.compareTo(max) > 0 ? max : d;
    }

    // ---- URL rules

    /** See {@link RemoteUrls#remoteUri}. */
    static URI remoteUri(String value) {
        return RemoteUrls.remoteUri(value);
    }

    static boolean isLoopback(String host) {
        return RemoteUrls.isLoopback(host);
    }

    // ---- bounded body

    /** A JWKS fetch that failed for a reason worth logging. */
    static final class FetchException extends RuntimeException {
        FetchException(String message) {
            super(message, null, false, false);
        }
    }

    private static HttpResponse.BodySubscriber<byte[]> bounded(HttpResponse.ResponseInfo info, long max) {
        return BoundedBody.forResponse(info, max, () -> new FetchException("a response over jwks_max_bytes"));
    }
}
