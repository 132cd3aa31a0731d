package io.bulwark.policies.identity;

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
 * {@code forward-identity}: tells the upstream who the authenticated caller is, in headers the gateway owns. The
 * same headers sent by the client are always removed first, on every request of the route, authenticated or not:
 * an upstream that trusts {@code X-User-Id} must only ever see the gateway's value.
 *
 * <pre>{@code
 * - forward-identity:
 *     headers:
 *       X-User-Id: subject          # subject | consumer | scopes | auth_method | auth_time | claim:<name>
 *       X-Tenant: claim:tenant
 *     remove: [X-Internal-Role]     # more client headers to drop
 * }</pre>
 */
public final class ForwardIdentityPolicyFactory implements PolicyFactory {
    private static final Pattern NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
    private static final Pattern CLAIM = Pattern.compile("claim:([A-Za-z0-9_.:-]{1,128})");
    private static final List<String> SOURCES = List.of("subject", "consumer", "scopes", "auth_method", "auth_time");
    private static final List<String> PROTECTED = List.of(
            "authorization",
            "cookie",
            "content-length",
            "transfer-encoding",
            "connection",
            "host",
            "upgrade",
            "te",
            "trailer");

    @Override
    public String name() {
        return "forward-identity";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        ConfigNode headersNode = f.required("headers");
        Map<String, ForwardIdentityPolicy.Source> headers = new LinkedHashMap<>();
        for (Map.Entry<String, ConfigNode> e : headersNode.asMap().entrySet()) {
            String name = checkName(e.getKey(), e.getValue());
            String spec = e.getValue().asNonBlankString();
            ForwardIdentityPolicy.Source source;
            var claim = CLAIM.matcher(spec);
            if (claim.matches()) {
                source = new ForwardIdentityPolicy.Source("claim", claim.group(1));
            } else if (SOURCES.contains(spec)) {
                source = new ForwardIdentityPolicy.Source(spec, null);
            } else {
                throw e.getValue().error("\"" + spec + "\"", String.join(", ", SOURCES) + " or claim:<name>");
            }
            for (String existing : headers.keySet()) {
                if (existing.equalsIgnoreCase(name)) {
                    throw e.getValue().error("header " + name + " twice", "each header once");
                }
            }
            headers.put(name, source);
        }
        if (headers.isEmpty()) {
            throw headersNode.error("at least one header to forward");
        }
        List<String> remove = new ArrayList<>(headers.keySet());
        Optional<ConfigNode> removeNode = f.optional("remove");
        if (removeNode.isPresent()) {
            for (ConfigNode n : removeNode.get().asList()) {
                remove.add(checkName(n.asNonBlankString(), n));
            }
        }
        f.finish();
        return new ForwardIdentityPolicy(headers, remove);
    }

    private static String checkName(String name, ConfigNode at) throws ConfigException {
        if (!NAME.matcher(name).matches()) {
            throw at.error("header name \"" + name + "\"", "an HTTP header name");
        }
        if (PROTECTED.contains(name.toLowerCase(Locale.ROOT))) {
            throw at.error("header " + name, "a header the gateway does not own (not " + PROTECTED + ")");
        }
        return name;
    }
}
