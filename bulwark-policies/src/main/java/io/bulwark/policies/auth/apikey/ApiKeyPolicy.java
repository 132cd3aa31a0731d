package io.bulwark.policies.auth.apikey;

import static io.bulwark.policies.auth.apikey.ApiKeyErrors.APIKEY_INVALID;
import static io.bulwark.policies.auth.apikey.ApiKeyErrors.APIKEY_IN_QUERY;
import static io.bulwark.policies.auth.apikey.ApiKeyErrors.AUTH_MISSING;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Exchange;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.Principal;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.IntConsumer;

/**
 * {@code api-key}: authenticates a request by a static key in a header, compared by its SHA-256 hash against the
 * configured hashes (the gateway never holds the keys themselves). On success the header is removed before the
 * request goes upstream, so the secret is not forwarded.
 */
final class ApiKeyPolicy implements Policy {
    /** Longer values are refused without being hashed. */
    static final int MAX_KEY_LENGTH = 512;

    /** Query parameter names that are refused (lower-cased); the configured header name is added. */
    static final List<String> QUERY_NAMES = List.of("api_key", "apikey", "api-key", "key");

    private static final IntConsumer NO_COUNT = i -> {};

    /** A configured key: the consumer id, the SHA-256 of the key and the granted scopes. */
    record Key(String id, byte[] hash, Set<String> scopes) {
        Key {
            hash = hash.clone();
            scopes = Set.copyOf(scopes);
        }
    }

    private final String header;
    private final Set<String> queryNames;
    private final byte[][] hashes;
    private final Principal[] principals;
    private final Map<String, String> challenge;

    ApiKeyPolicy(String header, List<Key> keys) {
        this.header = header;
        this.queryNames = Set.copyOf(concat(QUERY_NAMES, header.toLowerCase(Locale.ROOT)));
        this.hashes = new byte[keys.size()][];
        this.principals = new Principal[keys.size()];
        for (int i = 0; i < keys.size(); i++) {
            Key k = keys.get(i);
            hashes[i] = k.hash().clone();
            principals[i] = new Principal(k.id(), k.id(), k.scopes(), Map.of(), "api-key", null);
        }
        this.challenge = Map.of("WWW-Authenticate", "ApiKey realm=\"bulwark\", header=\"" + header + "\"");
    }

    private static List<String> concat(List<String> list, String extra) {
        return list.contains(extra)
                ? list
                : java.util.stream.Stream.concat(list.stream(), java.util.stream.Stream.of(extra))
                        .toList();
    }

    @Override
    public Phase phase() {
        return Phase.AUTHENTICATE;
    }

    @Override
    public CompletionStage<Decision> onRequest(Exchange exchange) {
        if (hasQueryKey(exchange.query(), queryNames)) {
            return reject(APIKEY_IN_QUERY, "API keys are not accepted in the query string");
        }
        List<String> values = exchange.requestHeaders().getAll(header);
        if (values.isEmpty()) {
            return reject(AUTH_MISSING, "an API key is required in the '" + header + "' header");
        }
        if (values.size() > 1) {
            return reject(APIKEY_INVALID, "the '" + header + "' header was sent more than once");
        }
        String key = values.get(0);
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            return reject(APIKEY_INVALID, "the API key is empty or too long");
        }
        int found = find(hashes, sha256(key), NO_COUNT);
        if (found < 0) {
            return reject(APIKEY_INVALID, "the API key is not valid");
        }
        Principal p = principals[found];
        exchange.attribute(Attributes.PRINCIPAL, p);
        exchange.attribute(Attributes.CONSUMER_ID, p.consumerId());
        // The secret stops here: the upstream never sees it.
        exchange.requestHeaders().remove(header);
        return Decision.proceedStage();
    }

    private CompletionStage<Decision> reject(ErrorKey key, String detail) {
        return Decision.reject(key, detail, challenge).asStage();
    }

    /**
     * The index of the hash equal to {@code digest}, or -1. Every hash is compared, in constant time each, with no
     * early exit, so the timing tells nothing about which key (or whether a key) matched.
     *
     * @param onCompare called with the index of each comparison (for tests)
     */
    static int find(byte[][] hashes, byte[] digest, IntConsumer onCompare) {
        int found = -1;
        for (int i = 0; i < hashes.length; i++) {
            onCompare.accept(i);
            boolean equal = MessageDigest.isEqual(hashes[i], digest);
            found = equal ? i : found;
        }
        return found;
    }

    static byte[] sha256(String key) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    /** True when the query has a parameter with one of the names (compared lower-cased, after percent-decoding). */
    static boolean hasQueryKey(String query, Set<String> names) {
        if (query == null || query.isEmpty()) {
            return false;
        }
        for (String param : query.split("&")) {
            int eq = param.indexOf('=');
            String name = eq < 0 ? param : param.substring(0, eq);
            if (name.indexOf('%') >= 0 || name.indexOf('+') >= 0) {
                try {
                    name = URLDecoder.decode(name, StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    // Undecodable: compare it as sent.
                }
            }
            if (names.contains(name.strip().toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }
}
