package io.bulwark.demo;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The "Acme Shop" sample API that {@code bulwark demo} runs in-process and puts behind the gateway.
 *
 * <p>It is deliberately flawed: broken object-level authorization on orders, mass assignment of the user role,
 * password hashes in user responses, an undocumented {@code /internal/debug} endpoint, a deprecated v1 endpoint that
 * is still served, an admin function without a role check and no rate limiting. {@link #openApiYaml()} describes the
 * intended contract, which the gateway enforces to close those flaws.
 *
 * <p>The data is in memory, seeded identically on every start: users alice (1, customer), bob (2, customer) and
 * carol (3, admin), with a few accounts and orders each. The API reads the caller from the {@code X-User-Id} header.
 */
public final class AcmeShopApi {

    private static final String OPENAPI_RESOURCE = "openapi.yaml";

    private AcmeShopApi() {}

    /**
     * Starts the API on {@code host:port} with freshly seeded data.
     *
     * @param port the port, or 0 for an ephemeral one (read it from the bound server)
     * @return completes with the bound server, or fails when the address cannot be bound
     */
    public static Future<HttpServer> start(Vertx vertx, String host, int port) {
        return start(vertx, host, port, new ShopStore());
    }

    /** Starts the API on the given store; the tests use it to start with small bounds. */
    static Future<HttpServer> start(Vertx vertx, String host, int port, ShopStore store) {
        requireNonNull(vertx, "vertx");
        requireNonNull(host, "host");
        requireNonNull(store, "store");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be from 0 to 65535, got " + port);
        }
        return vertx.createHttpServer()
                .requestHandler(ShopRouter.create(vertx, store))
                .listen(port, host);
    }

    /** The OpenAPI 3.1 document (YAML) describing the intended contract of the API, not its flaws. */
    public static String openApiYaml() {
        return OpenApiHolder.YAML;
    }

    /** Loads the document once, on first use. */
    private static final class OpenApiHolder {
        static final String YAML = load();

        private static String load() {
            try (InputStream in = AcmeShopApi.class.getResourceAsStream(OPENAPI_RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("missing resource io/bulwark/demo/" + OPENAPI_RESOURCE);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read resource io/bulwark/demo/" + OPENAPI_RESOURCE, e);
            }
        }
    }
}
