package io.bulwark.bench;

import io.bulwark.api.OperationMatch;
import io.bulwark.demo.AcmeShopApi;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.OperationMatcher;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Finding a request's OpenAPI operation, which the gateway does for every request on a route with a document: the
 * sample API's spec (9 operations), and a generated one with 1000 templated operations.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class OperationMatcherBenchmark {
    @Param({"shop", "wide1000"})
    public String spec;

    private OperationMatcher matcher;
    private String hitPath;
    private String missPath;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        if (spec.equals("shop")) {
            matcher = OpenApiDocument.parse("shop", AcmeShopApi.openApiYaml()).matcher("");
            hitPath = "/api/v2/users/42/accounts";
            missPath = "/api/v2/users/42/secrets";
        } else {
            StringBuilder y = new StringBuilder("openapi: 3.1.0\npaths:\n");
            for (int i = 0; i < 1000; i++) {
                y.append("  /svc")
                        .append(i)
                        .append("/items/{id}/parts/{partId}: {get: {operationId: op")
                        .append(i)
                        .append("}}\n");
            }
            matcher = OpenApiDocument.parse("wide", y.toString()).matcher("");
            hitPath = "/svc977/items/12345/parts/abc-def";
            missPath = "/svc977/items/12345/nope/abc-def";
        }
        if (matcher.match("GET", hitPath) == null || matcher.match("GET", missPath) != null) {
            throw new IllegalStateException("benchmark paths do not behave as intended");
        }
    }

    @Benchmark
    public OperationMatch hit() {
        return matcher.match("GET", hitPath);
    }

    @Benchmark
    public OperationMatch miss() {
        return matcher.match("GET", missPath);
    }
}
