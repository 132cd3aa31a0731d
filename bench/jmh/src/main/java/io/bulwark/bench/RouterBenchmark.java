package io.bulwark.bench;

import io.bulwark.gateway.routing.PathNormalizer;
import io.bulwark.gateway.routing.Router;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Route lookup and path normalization, the two steps every request takes before its policy chain.
 *
 * <p>Tables ({@code routes} = 10 or 1000) mix the three kinds of host pattern: exact hosts, {@code *.domain}
 * wildcards and {@code *}, each with nested path prefixes. There is deliberately no {@code * /} catch-all, so a
 * miss really finds nothing after trying every host level.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RouterBenchmark {

    @State(Scope.Benchmark)
    public static class Table {
        @Param({"10", "1000"})
        public int routes;

        Router<String> router;

        // Fields, not constants, so that the JIT cannot fold the lookups.
        String exactHost;
        String exactPath;
        String wildcardHost;
        String wildcardPath;
        String anyHost;
        String anyPath;
        String fallbackPath;
        String missHost;
        String missPath;
        String deepPath;

        @Setup
        public void build() {
            Router.Builder<String> b = Router.builder();
            int added = 0;
            if (routes <= 10) {
                // A small API: a few services on one host, tenants on a wildcard, health on any host.
                String[] exact = {"/v1/users", "/v1/orders", "/v1/orders/export", "/v1/products", "/v2/users"};
                for (String p : exact) {
                    b.add("api.example.com", p, "api" + p);
                }
                b.add("*.tenants.example.com", "/api", "tenant-api");
                b.add("*.tenants.example.com", "/api/v1/reports", "tenant-reports");
                b.add("*.example.com", "/static", "static");
                b.add("*", "/health", "health");
                b.add("*", "/.well-known", "well-known");
                added = 10;
                exactHost = "api.example.com";
                wildcardHost = "acme.tenants.example.com";
                wildcardPath = "/api/v1/reports/2025/11";
            } else {
                // A large multi-tenant estate: 40 hosts x 20 prefixes, 8 wildcard domains x 20, and 40 on '*'.
                for (int h = 0; h < 40; h++) {
                    for (int r = 0; r < 20; r++) {
                        b.add("svc" + h + ".example.com", prefix(r), "svc" + h + prefix(r));
                        added++;
                    }
                }
                for (int w = 0; w < 8; w++) {
                    for (int r = 0; r < 20; r++) {
                        b.add("*.region" + w + ".example.com", prefix(r), "region" + w + prefix(r));
                        added++;
                    }
                }
                for (int r = 0; added < routes; r++) {
                    b.add("*", "/shared/" + r, "shared" + r);
                    added++;
                }
                exactHost = "svc27.example.com";
                wildcardHost = "acme.region5.example.com";
                wildcardPath = "/v2/resource13/items/77";
            }
            exactPath = routes <= 10 ? "/v1/orders/1042" : "/v1/resource16/items/1042";
            anyHost = "unknown.example.org";
            anyPath = routes <= 10 ? "/health" : "/shared/7/status";
            fallbackPath = routes <= 10 ? "/static/app.js" : "/shared/3/status";
            missHost = "unknown.example.org";
            missPath = "/nothing/here";
            deepPath = routes <= 10
                    ? "/v1/users/42/orders/7/items/3/attachments/9/versions/2/comments/5"
                    : "/v1/resource16/items/42/orders/7/items/3/attachments/9/versions/2/comments/5";
            router = b.build();
            check(route(exactHost, exactPath), "exact hit");
            check(route(wildcardHost, wildcardPath), "wildcard hit");
            check(route(anyHost, anyPath), "catch-all hit");
            check(route(exactHost, fallbackPath), "fallback hit");
            check(route(exactHost, deepPath), "deep hit");
            if (route(missHost, missPath) != null) {
                throw new IllegalStateException("miss lookup found a route");
            }
        }

        /** Prefixes two levels deep, as APIs version and group their resources. */
        private static String prefix(int r) {
            return (r % 2 == 0 ? "/v1/resource" : "/v2/resource") + r + (r % 3 == 0 ? "" : "/items");
        }

        private String route(String host, String path) {
            return router.route(host, path);
        }

        private static void check(String value, String what) {
            if (value == null) {
                throw new IllegalStateException(what + " found no route");
            }
        }
    }

    @State(Scope.Benchmark)
    public static class Paths {
        String clean = "/v1/users/42/orders/7";
        /** Escaped unreserved characters, a dot segment, a double slash and a parent segment. */
        String escaped = "/v1/users/%2e%2e/./orders//%7Eitems/../%41dmin/%c3%a9t%C3%A9";

        @Setup
        public void check() {
            if (!clean.equals(PathNormalizer.normalize(clean)) || PathNormalizer.normalize(escaped) == null) {
                throw new IllegalStateException("unexpected normalizer result");
            }
        }
    }

    /** Exact host, prefix found a few segments down. */
    @Benchmark
    public String hitExactHost(Table t) {
        return t.router.route(t.exactHost, t.exactPath);
    }

    /** {@code *.domain} host (longest suffix among several). */
    @Benchmark
    public String hitWildcardHost(Table t) {
        return t.router.route(t.wildcardHost, t.wildcardPath);
    }

    /** Unknown host, served by a {@code *} route. */
    @Benchmark
    public String hitCatchAll(Table t) {
        return t.router.route(t.anyHost, t.anyPath);
    }

    /** Known exact host whose prefixes do not match: falls back to a wildcard or {@code *} route. */
    @Benchmark
    public String hitFallback(Table t) {
        return t.router.route(t.exactHost, t.fallbackPath);
    }

    /** Nothing matches at any host level: the cost of a 404. */
    @Benchmark
    public String miss(Table t) {
        return t.router.route(t.missHost, t.missPath);
    }

    /** A long path under a short prefix: the walk stops at the first segment without a child. */
    @Benchmark
    public String deepPath(Table t) {
        return t.router.route(t.exactHost, t.deepPath);
    }

    /** The fast path: nothing to decode or remove. */
    @Benchmark
    public String normalizeClean(Paths p) {
        return PathNormalizer.normalize(p.clean);
    }

    /** Percent escapes and dot segments: the slow path. */
    @Benchmark
    public String normalizeEscaped(Paths p) {
        return PathNormalizer.normalize(p.escaped);
    }
}
