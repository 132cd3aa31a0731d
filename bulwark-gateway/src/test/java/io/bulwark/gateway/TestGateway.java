package io.bulwark.gateway;

import io.bulwark.gateway.config.ConfigLoader;
import io.bulwark.gateway.config.GatewayConfig;
import io.bulwark.gateway.config.PolicyRegistry;
import io.bulwark.gateway.config.YamlConfigReader;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/** A real gateway on port 0, loaded from YAML through the real loader. */
final class TestGateway implements AutoCloseable {
    final Gateway gateway;
    final Path configFile;
    final ConfigLoader loader;

    private TestGateway(Gateway gateway, Path configFile, ConfigLoader loader) {
        this.gateway = gateway;
        this.configFile = configFile;
        this.loader = loader;
    }

    static TestGateway start(Vertx vertx, Path dir, String yaml) throws Exception {
        return start(vertx, dir, yaml, Map.of());
    }

    static TestGateway start(Vertx vertx, Path dir, String yaml, Map<String, String> env) throws Exception {
        Path file = Files.createTempFile(dir, "gateway", ".yaml");
        Files.writeString(file, yaml, StandardCharsets.UTF_8);
        ConfigLoader loader = new ConfigLoader(new YamlConfigReader(env::get), PolicyRegistry.load());
        GatewayConfig config = loader.load(file);
        Gateway gw = Gateway.start(vertx, config, () -> loader.load(file)).await();
        return new TestGateway(gw, file, loader);
    }

    /** A config with one plain HTTP listener on port 0 in front of {@code upstreamUrl}; extra YAML appended. */
    static String simpleConfig(String upstreamUrl, String routeExtras, String topLevelExtras) {
        return """
                listeners:
                  - name: http
                    port: 0
                    host: 127.0.0.1
                upstreams:
                  up:
                    targets: [%s]
                    connect_timeout: 1s
                    response_timeout: 2s
                routes:
                  - id: main
                    path: /
                    upstream: up
                    public: true
                %s
                access_log:
                  enabled: false
                %s
                """.formatted(upstreamUrl, indent(routeExtras, 4), topLevelExtras);
    }

    static String indent(String s, int n) {
        if (s == null || s.isBlank()) {
            return "";
        }
        String pad = " ".repeat(n);
        return s.stripIndent()
                .lines()
                .map(l -> pad + l)
                .reduce((a, b) -> a + "\n" + b)
                .orElse("");
    }

    int port() {
        return gateway.port("http");
    }

    String url(String path) {
        return "http://127.0.0.1:" + port() + path;
    }

    void rewrite(String yaml) throws Exception {
        Files.writeString(configFile, yaml, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws Exception {
        gateway.shutdown(Duration.ofSeconds(2)).await();
    }
}
