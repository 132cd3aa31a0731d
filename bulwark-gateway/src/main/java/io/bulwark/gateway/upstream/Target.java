package io.bulwark.gateway.upstream;

import java.net.URI;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One upstream instance with its passive health state: after {@code maxFailures} consecutive failures it is
 * ejected for {@code ejectForNanos}, then tried again.
 */
public final class Target {
    private final String host;
    private final int port;
    private final boolean ssl;
    private final String basePath;
    private final String authority;
    private final String label;
    private final AtomicInteger consecutiveFailures = new AtomicInteger();
    private volatile long ejectedUntilNanos;

    Target(URI uri) {
        this.host = uri.getHost();
        this.ssl = uri.getScheme().toLowerCase(Locale.ROOT).equals("https");
        this.port = uri.getPort() > 0 ? uri.getPort() : ssl ? 443 : 80;
        String p = uri.getRawPath() == null ? "" : uri.getRawPath();
        this.basePath = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        boolean defaultPort = ssl ? port == 443 : port == 80;
        this.authority = defaultPort ? host : host + ":" + port;
        this.label = host + ":" + port;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean ssl() {
        return ssl;
    }

    /** The path prefix of the target URL, without trailing slash ("" for none). */
    public String basePath() {
        return basePath;
    }

    /** The value for the Host header when the client's is not preserved. */
    public String authority() {
        return authority;
    }

    /** {@code host:port}, for logs and metrics. */
    public String label() {
        return label;
    }

    boolean isEjected(long nowNanos) {
        return ejectedUntilNanos - nowNanos > 0;
    }

    long ejectedUntil() {
        return ejectedUntilNanos;
    }

    void success() {
        if (consecutiveFailures.get() != 0) {
            consecutiveFailures.set(0);
        }
    }

    /** Records a failure; returns true when this failure ejected the target. */
    boolean failure(int maxFailures, long ejectForNanos, long nowNanos) {
        if (consecutiveFailures.incrementAndGet() >= maxFailures) {
            consecutiveFailures.set(0);
            ejectedUntilNanos = nowNanos + ejectForNanos;
            return true;
        }
        return false;
    }

    @Override
    public String toString() {
        return label;
    }
}
