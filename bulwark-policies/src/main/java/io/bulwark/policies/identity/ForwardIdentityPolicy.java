package io.bulwark.policies.identity;

import io.bulwark.api.Attributes;
import io.bulwark.api.Decision;
import io.bulwark.api.Exchange;
import io.bulwark.api.Headers;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.api.Principal;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletionStage;

/** Removes client-sent identity headers and sets them from the authenticated principal. */
final class ForwardIdentityPolicy implements Policy {
    /** Longer values are not forwarded: no upstream needs a kilobyte of identity in one header. */
    static final int MAX_VALUE_LENGTH = 1024;

    /**
     * Where a header's value comes from.
     *
     * @param kind subject, consumer, scopes, auth_method, auth_time or claim
     * @param claim the claim name for {@code claim}, else null
     */
    record Source(String kind, String claim) {}

    private final Map<String, Source> headers;
    private final List<String> remove;

    ForwardIdentityPolicy(Map<String, Source> headers, List<String> remove) {
        this.headers = Map.copyOf(headers);
        this.remove = List.copyOf(remove);
    }

    @Override
    public Phase phase() {
        // After authentication has published the principal; before anything reaches the upstream.
        return Phase.AUTHORIZE;
    }

    @Override
    public CompletionStage<Decision> onRequest(Exchange exchange) {
        Headers h = exchange.requestHeaders();
        for (String name : remove) {
            h.remove(name);
        }
        Principal p = exchange.attribute(Attributes.PRINCIPAL).orElse(null);
        if (p == null) {
            return Decision.proceedStage();
        }
        for (Map.Entry<String, Source> e : headers.entrySet()) {
            String value = value(p, e.getValue());
            if (value != null && safe(value)) {
                h.set(e.getKey(), value);
            }
        }
        return Decision.proceedStage();
    }

    static String value(Principal p, Source s) {
        return switch (s.kind()) {
            case "subject" -> p.subject();
            case "consumer" -> p.consumerId();
            case "scopes" -> String.join(" ", new TreeSet<>(p.scopes()));
            case "auth_method" -> p.authMethod();
            case "auth_time" ->
                p.authTime() == null ? null : Long.toString(p.authTime().getEpochSecond());
            case "claim" -> claim(p.claims().get(s.claim()));
            default -> null;
        };
    }

    private static String claim(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> list) {
            StringBuilder b = new StringBuilder();
            for (Object o : list) {
                if (!(o instanceof String || o instanceof Number || o instanceof Boolean)) {
                    return null;
                }
                b.append(b.isEmpty() ? "" : ",").append(o);
            }
            return b.toString();
        }
        if (v instanceof String || v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        return null; // objects have no obvious header form
    }

    /** Printable ASCII and spaces only: a claim must never split or smuggle a header. */
    static boolean safe(String v) {
        if (v.isEmpty() || v.length() > MAX_VALUE_LENGTH) {
            return false;
        }
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
