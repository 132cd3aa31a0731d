package io.bulwark.bench;

import io.bulwark.demo.AcmeShopApi;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.response.FilterLimits;
import io.bulwark.openapi.response.FilterResult;
import io.bulwark.openapi.response.ResponseCheck;
import io.bulwark.openapi.response.ResponseContract;
import io.bulwark.openapi.response.ResponseFilter;
import io.bulwark.openapi.response.Shape;
import java.nio.charset.StandardCharsets;
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
 * The response side of the {@code openapi} policy: looking a response up in the sample API's contract, and filtering
 * a page of users (each with the {@code passwordHash} the User schema does not declare) of about 1 KB, 100 KB and
 * 5 MB. The cost per byte should not depend on the size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ResponseFilterBenchmark {
    private static final String USER = "{\"id\":%d,\"name\":\"Alice Example\",\"email\":\"alice@example.com\","
            + "\"role\":\"customer\",\"status\":\"active\",\"createdAt\":\"2026-01-01T10:00:00Z\","
            + "\"passwordHash\":\"$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234\"}";

    @Param({"1024", "102400", "5242880"})
    public int bytes;

    private ResponseContract contract;
    private Shape shape;
    private byte[] body;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        contract = ResponseContract.compile(OpenApiDocument.parse("shop", AcmeShopApi.openApiYaml()));
        shape = contract.lookup("listUsers", 200, "application/json").shape().orElseThrow();
        StringBuilder page = new StringBuilder("{\"items\":[");
        for (int id = 1; page.length() < bytes - 200; id++) {
            page.append(id == 1 ? "" : ",").append(String.format(USER, id));
        }
        body = page.append("],\"total\":1000,\"limit\":100,\"offset\":0}")
                .toString()
                .getBytes(StandardCharsets.UTF_8);
        if (!filter().changed()) {
            throw new IllegalStateException("the benchmark body should lose its password hashes");
        }
    }

    @Benchmark
    public FilterResult filter() {
        return ResponseFilter.filter(shape, body, FilterLimits.DEFAULTS);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public ResponseCheck lookup() {
        return contract.lookup("getUser", 200, "application/json; charset=utf-8");
    }
}
