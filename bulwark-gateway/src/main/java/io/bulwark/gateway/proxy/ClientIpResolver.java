package io.bulwark.gateway.proxy;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Resolves the client IP, the one place every policy and log takes it from. The socket peer is the client unless
 * it is a trusted proxy; then the forwarding headers are read right to left, skipping trusted proxies, and the
 * first untrusted address is the client. Headers from untrusted peers are ignored, so they cannot be spoofed.
 */
public final class ClientIpResolver {
    private static final int MAX_HOPS = 32;
    private final List<IPAddress> trusted;

    public ClientIpResolver(List<String> trustedCidrs) {
        List<IPAddress> list = new ArrayList<>();
        for (String c : trustedCidrs) {
            IPAddress a = new IPAddressString(c).getAddress();
            if (a != null) {
                list.add(a.toPrefixBlock());
            }
        }
        this.trusted = List.copyOf(list);
    }

    public boolean hasTrustedProxies() {
        return !trusted.isEmpty();
    }

    public boolean isTrusted(String ip) {
        if (trusted.isEmpty() || ip == null) {
            return false;
        }
        IPAddress a = parse(ip);
        return a != null && isTrusted(a);
    }

    private boolean isTrusted(IPAddress a) {
        IPAddress candidate = a.isIPv4Convertible() && a.isIPv6() ? a.toIPv4() : a;
        for (IPAddress t : trusted) {
            if (t.contains(candidate)) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param peer the socket peer address
     * @param xForwardedFor every {@code X-Forwarded-For} value, in order (may be empty)
     * @param forwarded every {@code Forwarded} value, in order (may be empty); used when X-Forwarded-For is absent
     */
    public String resolve(String peer, List<String> xForwardedFor, List<String> forwarded) {
        if (trusted.isEmpty() || !isTrusted(peer)) {
            return peer;
        }
        List<String> hops = !xForwardedFor.isEmpty() ? splitXff(xForwardedFor) : forwardedFor(forwarded);
        String candidate = peer;
        for (int i = hops.size() - 1, seen = 0; i >= 0 && seen < MAX_HOPS; i--, seen++) {
            IPAddress a = parse(hops.get(i));
            if (a == null) {
                // A garbled hop: stop at the last address we could verify.
                return candidate;
            }
            candidate = a.toCanonicalString();
            if (!isTrusted(a)) {
                return candidate;
            }
        }
        return candidate;
    }

    private static List<String> splitXff(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String part : v.split(",", MAX_HOPS + 1)) {
                String s = part.trim();
                if (!s.isEmpty()) {
                    out.add(s);
                }
            }
        }
        return out;
    }

    /** The {@code for=} parameters of RFC 7239 Forwarded elements. */
    private static List<String> forwardedFor(List<String> values) {
        List<String> out = new ArrayList<>();
        for (String v : values) {
            for (String element : v.split(",", MAX_HOPS + 1)) {
                for (String pair : element.split(";")) {
                    String p = pair.trim();
                    if (p.length() > 4
                            && p.substring(0, 4).toLowerCase(Locale.ROOT).equals("for=")) {
                        String addr = p.substring(4).trim();
                        if (addr.startsWith("\"") && addr.endsWith("\"") && addr.length() >= 2) {
                            addr = addr.substring(1, addr.length() - 1);
                        }
                        if (addr.startsWith("[")) {
                            int close = addr.indexOf(']');
                            addr = close > 0 ? addr.substring(1, close) : addr;
                        } else if (addr.indexOf(':') > 0 && addr.indexOf(':') == addr.lastIndexOf(':')) {
                            addr = addr.substring(0, addr.indexOf(':'));
                        }
                        out.add(addr);
                    }
                }
            }
        }
        return out;
    }

    private static IPAddress parse(String s) {
        if (s == null || s.isEmpty() || s.length() > 64) {
            return null;
        }
        String v = s;
        if (v.startsWith("[") && v.endsWith("]")) {
            v = v.substring(1, v.length() - 1);
        }
        IPAddressString str = new IPAddressString(v);
        if (!str.isIPAddress()) {
            return null;
        }
        IPAddress a = str.getAddress();
        return a == null || a.isPrefixed() ? null : a;
    }
}
