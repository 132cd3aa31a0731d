package io.bulwark.policies.inspect;

import io.bulwark.api.Body;
import io.bulwark.api.Decision;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.Exchange;
import io.bulwark.api.Headers;
import io.bulwark.api.Phase;
import io.bulwark.api.Policy;
import io.bulwark.inspect.Category;
import io.bulwark.inspect.Finding;
import io.bulwark.inspect.HttpRequestView;
import io.bulwark.inspect.Inspector;
import io.bulwark.inspect.Report;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Runs the injection detectors over every value of a request (path, query, headers, cookies and, when it is text,
 * the body) and blocks or monitors per category. When the body will be inspected, everything is inspected once,
 * with the body, instead of twice.
 */
final class InspectPolicy implements Policy {
    private static final System.Logger LOG = System.getLogger(InspectPolicy.class.getName());

    /** What to do with a category's findings. */
    enum Action {
        BLOCK,
        MONITOR,
        OFF
    }

    private final Inspector inspector;
    private final EnumMap<Category, Action> actions;
    private final boolean inspectBody;

    InspectPolicy(Inspector inspector, Map<Category, Action> actions, boolean inspectBody) {
        this.inspector = inspector;
        this.actions = new EnumMap<>(actions);
        this.inspectBody = inspectBody;
    }

    @Override
    public Phase phase() {
        return Phase.VALIDATE;
    }

    @Override
    public CompletionStage<Decision> onRequest(Exchange exchange) {
        if (inspectsRequestBody(exchange)) {
            return Decision.proceedStage(); // inspected once, with the body, in onRequestBody
        }
        return decide(exchange, inspector.inspect(view(exchange, null, new byte[0])))
                .asStage();
    }

    @Override
    public boolean inspectsRequestBody(Exchange exchange) {
        if (!inspectBody || exchange.requestContentLength() == 0) {
            return false;
        }
        if (exchange.requestContentLength() < 0 && !exchange.requestHeaders().contains("Transfer-Encoding")) {
            return false; // no body at all (HTTP/1 without framing headers)
        }
        return isText(exchange.requestHeaders().get("Content-Type"));
    }

    @Override
    public CompletionStage<Decision> onRequestBody(Exchange exchange, Body body) {
        return decide(exchange, inspector.inspect(view(exchange, body.contentType(), body.bytes())))
                .asStage();
    }

    /** Bodies the detectors can read: JSON, forms, XML, multipart, plain text; not images, archives, protobuf. */
    static boolean isText(String contentType) {
        if (contentType == null) {
            return true; // undeclared: inspect as text rather than let anything through unseen
        }
        String t = contentType.toLowerCase(Locale.ROOT);
        int semi = t.indexOf(';');
        if (semi >= 0) {
            t = t.substring(0, semi);
        }
        t = t.strip();
        return t.startsWith("text/")
                || t.equals("application/json")
                || t.endsWith("+json")
                || t.equals("application/x-www-form-urlencoded")
                || t.equals("multipart/form-data")
                || t.equals("application/xml")
                || t.endsWith("+xml")
                || t.equals("application/graphql")
                || t.equals("application/javascript");
    }

    private Decision decide(Exchange exchange, Report report) {
        Finding blocking = null;
        for (Finding f : report.findings()) {
            Action a = actions.getOrDefault(f.category(), Action.OFF);
            if (a == Action.OFF) {
                continue;
            }
            ErrorKey key = InspectErrors.of(f.category());
            if (LOG.isLoggable(System.Logger.Level.INFO)) {
                // Category, place and confidence only: the evidence is attack text, perhaps someone's data.
                LOG.log(
                        System.Logger.Level.INFO,
                        "inspect: request {0} route {1}: {2} in {3} (confidence {4}){5}",
                        exchange.requestId(),
                        exchange.routeId(),
                        f.category().wireName(),
                        safe(f.location().toString()),
                        String.format(Locale.ROOT, "%.2f", f.confidence()),
                        a == Action.MONITOR ? " [monitor]" : "");
            }
            if (a == Action.MONITOR) {
                exchange.monitor(key);
            } else if (blocking == null) {
                blocking = f;
            }
        }
        if (blocking == null) {
            return Decision.proceed();
        }
        return Decision.reject(
                InspectErrors.of(blocking.category()),
                blocking.category().wireName() + " in "
                        + safe(blocking.location().toString()));
    }

    /** Locations hold request-chosen names (query keys): bounded and printable before they reach a log or detail. */
    static String safe(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 80));
        for (int i = 0; i < s.length() && b.length() < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f || c > 0x7e ? '?' : c);
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }

    private static HttpRequestView view(Exchange exchange, String contentType, byte[] body) {
        Headers h = exchange.requestHeaders();
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        for (String name : h.names()) {
            for (String v : h.getAll(name)) {
                headers.add(new AbstractMap.SimpleImmutableEntry<>(name, v));
            }
        }
        String q = exchange.query();
        String target = q == null ? exchange.path() : exchange.path() + "?" + q;
        return new HttpRequestView(
                exchange.method(), target, headers, contentType != null ? contentType : h.get("Content-Type"), body);
    }
}
