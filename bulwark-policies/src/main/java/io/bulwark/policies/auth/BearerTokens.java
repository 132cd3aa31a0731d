package io.bulwark.policies.auth;

import static io.bulwark.policies.auth.AuthErrors.AUTH_MISSING;
import static io.bulwark.policies.auth.AuthErrors.AUTH_TOKEN_IN_QUERY;

import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Exchange;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What every bearer-token policy does the same way: read the token from where the config says (never the query
 * string), answer RFC 6750 challenges, hash tokens for cache keys, and parse the {@code token:} config block.
 */
public final class BearerTokens {
    /** The challenge scheme and realm of every bearer-token policy. */
    public static final String REALM = "Bearer realm=\"bulwark\"";

    private static final Pattern HTTP_TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,256}");

    private BearerTokens() {}

    /** The token, or null when the request carries none; invalid when a credential is there but unusable. */
    public record TokenRead(String token, boolean invalid) {
        public static final TokenRead NONE = new TokenRead(null, false);
        public static final TokenRead INVALID = new TokenRead(null, true);
    }

    /**
     * The request's token, or the refusal to answer with: a token in the query string, an unusable credential
     * ({@code invalid_request}), or no credential at all (a bare challenge).
     *
     * @param token the token, or null when {@code refusal} is set
     * @param refusal the rejection, or null when {@code token} is set
     */
    public record Extraction(String token, Decision refusal) {}

    /** Reads the token of a request, refusing the query string and ambiguous or malformed credentials. */
    public static Extraction extract(Exchange exchange, TokenSource source) {
        if (hasQueryToken(exchange.query())) {
            return new Extraction(
                    null, invalidRequest(AUTH_TOKEN_IN_QUERY, "access tokens are not accepted in the query string"));
        }
        TokenRead read = readToken(exchange, source);
        if (read.invalid()) {
            return new Extraction(
                    null, invalidRequest(AUTH_MISSING, "the credential is not of the form 'Bearer <token>'"));
        }
        if (read.token() == null) {
            return new Extraction(null, missing());
        }
        return new Extraction(read.token(), null);
    }

    public static TokenRead readToken(Exchange exchange, TokenSource source) {
        return switch (source.kind()) {
            case BEARER -> bearer(exchange.requestHeaders().getAll(source.name()));
            case HEADER -> rawHeader(exchange.requestHeaders().getAll(source.name()));
            case COOKIE -> cookie(exchange.requestHeaders().getAll("Cookie"), source.name());
        };
    }

    public static TokenRead bearer(List<String> values) {
        if (values.isEmpty()) {
            return TokenRead.NONE;
        }
        if (values.size() > 1) {
            // Two credentials are ambiguous: a proxy and the upstream might not pick the same one.
            return TokenRead.INVALID;
        }
        String v = values.get(0);
        if (v.length() < 7 || !v.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return TokenRead.INVALID;
        }
        int i = 7;
        while (i < v.length() && v.charAt(i) == ' ') {
            i++;
        }
        String token = v.substring(i);
        if (token.isEmpty() || token.indexOf(' ') >= 0) {
            return TokenRead.INVALID;
        }
        return new TokenRead(token, false);
    }

    public static TokenRead rawHeader(List<String> values) {
        if (values.isEmpty()) {
            return TokenRead.NONE;
        }
        if (values.size() > 1) {
            return TokenRead.INVALID;
        }
        String token = values.get(0).strip();
        return token.isEmpty() ? TokenRead.INVALID : new TokenRead(token, false);
    }

    public static TokenRead cookie(List<String> headers, String name) {
        String found = null;
        for (String header : headers) {
            for (String pair : header.split(";")) {
                int eq = pair.indexOf('=');
                if (eq < 0 || !pair.substring(0, eq).strip().equals(name)) {
                    continue;
                }
                if (found != null) {
                    // A second cookie of the same name may have been planted from a sibling domain.
                    return TokenRead.INVALID;
                }
                found = pair.substring(eq + 1).strip();
            }
        }
        if (found == null) {
            return TokenRead.NONE;
        }
        return found.isEmpty() ? TokenRead.INVALID : new TokenRead(found, false);
    }

    /** True when the query names an {@code access_token} parameter (its name compared after percent-decoding). */
    public static boolean hasQueryToken(String query) {
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
            if (name.equals("access_token")) {
                return true;
            }
        }
        return false;
    }

    /** The lower-case hex SHA-256 of a token: the only form in which a token is kept as a cache key. */
    public static String sha256(String token) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }

    // ---- RFC 6750 challenges

    /** No credential at all: RFC 6750 §3.1 wants no error attribute then. */
    public static Decision missing() {
        return Decision.reject(AUTH_MISSING, "a bearer token is required", Map.of("WWW-Authenticate", REALM));
    }

    /** A request that cannot carry a usable credential ({@code error="invalid_request"}). */
    public static Decision invalidRequest(ErrorKey key, String detail) {
        String challenge = REALM + ", error=\"invalid_request\", error_description=\"" + detail + "\"";
        return Decision.reject(key, detail, Map.of("WWW-Authenticate", challenge));
    }

    /**
     * A credential that is not accepted ({@code error="invalid_token"}).
     *
     * @param detail the problem detail; safe to show, never the token
     * @param description the short {@code error_description}; no quotes or backslashes
     */
    public static Decision invalidToken(ErrorKey key, String detail, String description) {
        String challenge = REALM + ", error=\"invalid_token\", error_description=\"" + description + "\"";
        return Decision.reject(key, detail, Map.of("WWW-Authenticate", challenge));
    }

    // ---- config

    /** The {@code token:} block: absent for {@code Authorization: Bearer}, or {@code {header: NAME}} / {@code {cookie: NAME}}. */
    public static TokenSource tokenSource(Optional<ConfigNode> node) throws ConfigException {
        if (node.isEmpty()) {
            return TokenSource.DEFAULT;
        }
        ConfigNode.Fields f = node.get().fields();
        Optional<ConfigNode> header = f.optional("header");
        Optional<ConfigNode> cookie = f.optional("cookie");
        f.finish();
        if (header.isPresent() == cookie.isPresent()) {
            throw node.get().error("either {header: NAME} or {cookie: NAME}");
        }
        ConfigNode nameNode = header.orElseGet(cookie::get);
        String name = nameNode.asString();
        if (!HTTP_TOKEN.matcher(name).matches()) {
            throw nameNode.error("a header or cookie name (an HTTP token)");
        }
        if (cookie.isPresent()) {
            return new TokenSource(TokenSource.Kind.COOKIE, name);
        }
        return name.equalsIgnoreCase("Authorization")
                ? TokenSource.DEFAULT
                : new TokenSource(TokenSource.Kind.HEADER, name);
    }
}
