package io.bulwark.policies.headers;

import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * {@code headers}: security headers for API responses. With {@code security_defaults: true} (the default) it
 * applies the OWASP REST recommendations: {@code X-Content-Type-Options: nosniff}, {@code X-Frame-Options: DENY},
 * {@code Content-Security-Policy: frame-ancestors 'none'}, {@code Cache-Control: no-store} where the API set no
 * caching policy, and removes {@code Server}, {@code X-Powered-By} and {@code X-AspNet-Version}.
 */
public final class HeadersPolicyFactory implements PolicyFactory {
    private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    /** Headers whose rewriting would break framing or routing; the gateway owns them. */
    private static final List<String> PROTECTED = List.of(
            "content-length",
            "transfer-encoding",
            "connection",
            "keep-alive",
            "proxy-connection",
            "host",
            "upgrade",
            "te",
            "trailer");

    @Override
    public String name() {
        return "headers";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        boolean defaults = f.bool("security_defaults", true);
        Map<String, String> reqSet = Map.of();
        List<String> reqRemove = List.of();
        Optional<ConfigNode> request = f.optional("request");
        if (request.isPresent()) {
            ConfigNode.Fields rf = request.get().fields();
            reqSet = headerMap(rf.optional("set"));
            reqRemove = names(rf.optional("remove"));
            rf.finish();
        }
        Map<String, String> resSet = new LinkedHashMap<>();
        Map<String, String> resIfAbsent = new LinkedHashMap<>();
        List<String> resRemove = new ArrayList<>();
        if (defaults) {
            putIgnoringCase(resSet, "X-Content-Type-Options", "nosniff");
            putIgnoringCase(resSet, "X-Frame-Options", "DENY");
            putIgnoringCase(resIfAbsent, "Content-Security-Policy", "frame-ancestors 'none'");
            putIgnoringCase(resIfAbsent, "Cache-Control", "no-store");
            resRemove.addAll(List.of("Server", "X-Powered-By", "X-AspNet-Version", "X-AspNetMvc-Version"));
        }
        Optional<ConfigNode> response = f.optional("response");
        if (response.isPresent()) {
            ConfigNode.Fields rf = response.get().fields();
            // A configured header replaces a default of the same name, whatever the case of either.
            headerMap(rf.optional("set")).forEach((k, v) -> {
                putIgnoringCase(resSet, k, v);
                resIfAbsent.keySet().removeIf(x -> x.equalsIgnoreCase(k));
            });
            headerMap(rf.optional("set_if_absent")).forEach((k, v) -> {
                putIgnoringCase(resIfAbsent, k, v);
                resSet.keySet().removeIf(x -> x.equalsIgnoreCase(k));
            });
            List<String> removed = names(rf.optional("remove"));
            resRemove.addAll(removed);
            // Removing a header the defaults would set means "do not send it": drop it from the sets too.
            for (String name : removed) {
                resSet.keySet().removeIf(k -> k.equalsIgnoreCase(name));
                resIfAbsent.keySet().removeIf(k -> k.equalsIgnoreCase(name));
            }
            rf.finish();
        }
        f.finish();
        return new HeadersPolicy(new HeadersConfig(reqSet, reqRemove, resSet, resIfAbsent, resRemove));
    }

    private static void putIgnoringCase(Map<String, String> map, String name, String value) {
        map.keySet().removeIf(k -> k.equalsIgnoreCase(name));
        map.put(name, value);
    }

    private static Map<String, String> headerMap(Optional<ConfigNode> node) throws ConfigException {
        if (node.isEmpty()) {
            return Map.of();
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : node.get().asMap().entrySet()) {
            checkName(e.getValue(), e.getKey());
            String value = e.getValue().asString();
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                // RFC 9110 field values: visible ASCII, space and tab; nothing that could split or end a header.
                if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                    throw e.getValue().error("a header value of visible ASCII characters, spaces and tabs");
                }
            }
            out.put(e.getKey(), value);
        }
        return out;
    }

    private static List<String> names(Optional<ConfigNode> node) throws ConfigException {
        if (node.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        for (ConfigNode item : node.get().asItems()) {
            checkName(item, item.asString());
            out.add(item.asString());
        }
        return out;
    }

    /** {@code node} is the value (or list item) the name belongs to; errors describe names safely. */
    private static void checkName(ConfigNode node, String name) throws ConfigException {
        if (!NAME.matcher(name).matches()) {
            throw node.error("the header name " + safe(name), "a header name (letters, digits and -)");
        }
        if (PROTECTED.contains(name.toLowerCase(Locale.ROOT))) {
            throw node.error(
                    "the header name " + safe(name),
                    "a header the gateway does not manage itself (not " + PROTECTED + ")");
        }
    }

    /** A config key for an error message: keys are never secrets, but may hold control characters. */
    private static String safe(String name) {
        return ConfigNode.scalar("", new io.bulwark.api.config.Location("", 0, 0), name, false)
                .describe();
    }
}
