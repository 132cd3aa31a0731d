package io.bulwark.policies.auth;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;

/** The rule for URLs the gateway calls with or for credentials (JWKS, discovery, token introspection). */
public final class RemoteUrls {
    /** What {@link #remoteUri} accepts, for config errors. */
    public static final String EXPECTED =
            "an https URL without credentials (http only to a loopback host: localhost, 127.x.x.x or [::1])";

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");

    private RemoteUrls() {}

    /**
     * A URL the gateway may call: absolute, https (http only to a loopback host literal), no userinfo, no fragment.
     * The host is never resolved here: a name that resolves to 127.0.0.1 is not loopback for this rule.
     *
     * @throws IllegalArgumentException with a safe description of what is wrong
     */
    public static URI remoteUri(String value) {
        URI uri;
        try {
            uri = new URI(value);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("not an absolute http(s) URL with a host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("credentials in the URL");
        }
        if (uri.getRawFragment() != null) {
            throw new IllegalArgumentException("a fragment in the URL");
        }
        if (scheme.equals("https")) {
            return uri;
        }
        if (scheme.equals("http")) {
            if (isLoopback(uri.getHost())) {
                return uri;
            }
            throw new IllegalArgumentException("http to a host that is not loopback");
        }
        throw new IllegalArgumentException("scheme " + scheme);
    }

    public static boolean isLoopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost")
                || h.equals("[::1]")
                || h.equals("::1")
                || IPV4_LOOPBACK.matcher(h).matches();
    }
}
