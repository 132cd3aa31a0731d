package io.bulwark.policies.cors;

import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/** {@code cors}: cross-origin resource sharing for browser clients. */
public final class CorsPolicyFactory implements PolicyFactory {
    private static final Pattern ORIGIN = Pattern.compile("\\*|https?://(\\*\\.)?[a-zA-Z0-9.-]+(:\\d{1,5})?");
    private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");

    @Override
    public String name() {
        return "cors";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        ConfigNode originsNode = f.required("allow_origins");
        List<String> origins = new java.util.ArrayList<>();
        for (ConfigNode item : originsNode.asItems()) {
            String o = item.asString();
            if (!ORIGIN.matcher(o).matches() || !validPort(o)) {
                // item.error() describes the value safely (escaped, truncated, never a secret).
                throw item.error("origins like https://app.example.com, https://*.example.com or *");
            }
            origins.add(o);
        }
        Set<String> methods = upper(f, "allow_methods", List.of("GET", "HEAD", "POST"));
        Set<String> headers = lower(f, "allow_headers");
        List<String> expose = tokens(f, "expose_headers");
        boolean credentials = f.bool("allow_credentials", false);
        Duration maxAge = f.duration("max_age", Duration.ZERO, Duration.ofDays(1), Duration.ofMinutes(10));
        f.finish();
        if (credentials && origins.contains("*")) {
            throw originsNode.error(
                    "explicit origins when allow_credentials is true (browsers refuse * with credentials)");
        }
        if (origins.isEmpty()) {
            throw originsNode.error("at least one origin");
        }
        return new CorsPolicy(new CorsConfig(origins, methods, headers, expose, credentials, maxAge));
    }

    private static boolean validPort(String origin) {
        int colon = origin.lastIndexOf(':');
        if (colon < 0 || origin.indexOf("://") == colon) {
            return true;
        }
        return Integer.parseInt(origin.substring(colon + 1)) <= 65535;
    }

    private static Set<String> upper(ConfigNode.Fields f, String key, List<String> defaults) throws ConfigException {
        List<String> values = tokens(f, key);
        if (values.isEmpty()) {
            values = defaults;
        }
        Set<String> out = new LinkedHashSet<>();
        values.forEach(v -> out.add(v.toUpperCase(Locale.ROOT)));
        return out;
    }

    private static Set<String> lower(ConfigNode.Fields f, String key) throws ConfigException {
        Set<String> out = new LinkedHashSet<>();
        tokens(f, key).forEach(v -> out.add(v.toLowerCase(Locale.ROOT)));
        return out;
    }

    private static List<String> tokens(ConfigNode.Fields f, String key) throws ConfigException {
        var node = f.optional(key);
        if (node.isEmpty()) {
            return List.of();
        }
        List<String> values = new java.util.ArrayList<>();
        for (ConfigNode item : node.get().asItems()) {
            String v = item.asString();
            if (!TOKEN.matcher(v).matches()) {
                throw item.error("HTTP tokens (header or method names)");
            }
            values.add(v);
        }
        return List.copyOf(values);
    }
}
