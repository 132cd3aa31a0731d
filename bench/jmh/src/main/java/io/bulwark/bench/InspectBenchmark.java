package io.bulwark.bench;

import io.bulwark.inspect.HttpRequestView;
import io.bulwark.inspect.Inspector;
import io.bulwark.inspect.InspectorConfig;
import io.bulwark.inspect.Report;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
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
 * The injection detectors over a whole request: a JSON body of about {@code bodyBytes} bytes made of 20-field
 * objects of ordinary text (the common, benign case: every value runs through every detector), plus a query and
 * the usual headers. The 1 KB figure has an aim (under 20 µs with validation); larger bodies show whether the cost
 * stays linear in size.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class InspectBenchmark {
    @Param({"1024", "10240", "102400"})
    public int bodyBytes;

    @Param({"1", "2"})
    public int paranoia;

    private Inspector inspector;
    private HttpRequestView request;

    @Setup(Level.Trial)
    public void setUp() {
        inspector = Inspector.create(InspectorConfig.defaults().withParanoia(paranoia));
        byte[] body = jsonBody(bodyBytes).getBytes(StandardCharsets.UTF_8);
        List<Map.Entry<String, String>> headers = List.of(
                new AbstractMap.SimpleImmutableEntry<>("Host", "api.example.com"),
                new AbstractMap.SimpleImmutableEntry<>("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) bench"),
                new AbstractMap.SimpleImmutableEntry<>("Accept", "application/json"),
                new AbstractMap.SimpleImmutableEntry<>("Content-Type", "application/json"),
                new AbstractMap.SimpleImmutableEntry<>("Referer", "https://shop.example.com/cart?step=2"));
        request = new HttpRequestView(
                "POST", "/api/v2/orders?source=web&campaign=spring-sale", headers, "application/json", body);
        Report r = inspector.inspect(request);
        if (r.flagged()) {
            throw new IllegalStateException("the benign benchmark body is flagged: " + r.findings());
        }
    }

    /** Objects of 20 ordinary fields (names, addresses, prices, notes) until the body reaches {@code size}. */
    static String jsonBody(int size) {
        StringBuilder b = new StringBuilder("{\"orders\":[");
        int i = 0;
        while (b.length() < size - 2) {
            if (i > 0) {
                b.append(',');
            }
            b.append("{\"id\":")
                    .append(1000 + i)
                    .append(",\"customer\":\"Jane O'Neil\",\"email\":\"jane.oneil@example.com\",")
                    .append("\"street\":\"12 Rue de la Paix\",\"city\":\"Paris\",\"zip\":\"75002\",\"country\":\"FR\",")
                    .append("\"phone\":\"+33 1 23 45 67 89\",\"sku\":\"ANVIL-50KG\",\"qty\":2,\"price\":\"19.99\",")
                    .append("\"currency\":\"EUR\",\"gift\":false,\"note\":\"Please leave it at the door - thanks!\",")
                    .append("\"coupon\":\"SPRING-10\",\"channel\":\"web\",\"lang\":\"fr-FR\",\"status\":\"new\",")
                    .append("\"created\":\"2026-11-28T10:15:30Z\",\"tags\":\"select, express\"}");
            i++;
        }
        return b.append("]}").toString();
    }

    @Benchmark
    public Report inspect() {
        return inspector.inspect(request);
    }
}
