package io.bulwark.demo;

import static io.bulwark.demo.RunningShop.ALICE;
import static io.bulwark.demo.RunningShop.BOB;
import static io.bulwark.demo.RunningShop.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bulwark.demo.ShopClient.Response;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The documented behaviour of the API and its answers to bad input; the flaws are in {@link AcmeShopFlawsTest}. */
class AcmeShopApiTest {

    private static final String USER_ID = ShopRouter.USER_ID_HEADER;

    private static Vertx vertx;
    private RunningShop shop;
    private ShopClient client;

    @BeforeAll
    static void start_vertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void close_vertx() {
        await(vertx.close());
    }

    @BeforeEach
    void start_api() {
        shop = RunningShop.start(vertx);
        client = shop.client();
    }

    @AfterEach
    void stop_api() {
        shop.close();
    }

    @Test
    void reports_health() {
        Response response = client.get("/health");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.json()).isEqualTo(new JsonObject().put("status", "UP"));
    }

    @Test
    void serves_its_openapi_document_as_yaml() {
        Response response = client.get("/openapi.yaml");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/yaml");
        assertThat(response.body()).isEqualTo(AcmeShopApi.openApiYaml()).startsWith("openapi: 3.1.0");
    }

    @Test
    void lists_the_seeded_users_in_id_order() {
        Response response = client.get("/api/v2/users");

        assertThat(response.status()).isEqualTo(200);
        JsonObject page = response.json();
        assertThat(page.getInteger("total")).isEqualTo(3);
        assertThat(page.getInteger("limit")).isEqualTo(ShopRouter.DEFAULT_LIMIT);
        assertThat(page.getInteger("offset")).isZero();
        assertThat(page.getJsonArray("items").stream().map(user -> ((JsonObject) user).getString("email")))
                .containsExactly("alice@acme.example", "bob@acme.example", "carol@acme.example");
    }

    @Test
    void gets_one_user() {
        JsonObject carol = client.get("/api/v2/users/3").json();

        assertThat(carol.getLong("id")).isEqualTo(3);
        assertThat(carol.getString("name")).isEqualTo("Carol Chen");
        assertThat(carol.getString("role")).isEqualTo("admin");
        assertThat(carol.getString("status")).isEqualTo("active");
        assertThat(carol.getString("createdAt")).isEqualTo("2023-11-20T08:00:00Z");
    }

    @Test
    void creates_a_customer() {
        Response created = client.post("/api/v2/users", "{\"name\":\" Dave Doe \",\"email\":\"dave@acme.example\"}");

        assertThat(created.status()).isEqualTo(201);
        JsonObject dave = created.json();
        assertThat(dave.getLong("id")).isEqualTo(4);
        assertThat(dave.getString("name")).isEqualTo("Dave Doe");
        assertThat(dave.getString("role")).isEqualTo("customer");
        assertThat(dave.getString("status")).isEqualTo("active");
        assertThat(created.header("Location")).isEqualTo("/api/v2/users/4");
        assertThat(client.get("/api/v2/users/4").json()).isEqualTo(dave);
        assertThat(client.get("/api/v2/users").json().getInteger("total")).isEqualTo(4);
    }

    @Test
    void refuses_a_second_user_with_the_same_email_address() {
        Response response = client.post("/api/v2/users", "{\"name\":\"Alice Again\",\"email\":\"ALICE@acme.example\"}");

        assertThat(response.status()).isEqualTo(409);
        assertThat(response.error()).isEqualTo("conflict");
    }

    @Test
    void lists_a_users_accounts() {
        Response response = client.get("/api/v2/users/1/accounts", USER_ID, ALICE);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().getInteger("total")).isEqualTo(2);
        JsonObject first = response.items().getJsonObject(0);
        assertThat(first.getLong("userId")).isEqualTo(1);
        assertThat(first.getString("number")).isEqualTo("XX00 ACME 0001 0001");
        assertThat(first.getNumber("balance").doubleValue()).isEqualTo(1250.00);
        assertThat(first.getString("currency")).isEqualTo("EUR");
    }

    @Test
    void lists_only_the_callers_orders_when_the_caller_is_known() {
        Response response = client.get("/api/v2/orders", USER_ID, BOB);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().getInteger("total")).isEqualTo(2);
        assertThat(ids(response.items())).containsExactly(3L, 4L);
        assertThat(response.items().stream().map(order -> ((JsonObject) order).getLong("ownerId")))
                .containsOnly(2L);
    }

    @Test
    void gets_one_order_with_its_items_and_total() {
        JsonObject order = client.get("/api/v2/orders/1", USER_ID, ALICE).json();

        assertThat(order.getLong("ownerId")).isEqualTo(1);
        assertThat(order.getString("status")).isEqualTo("delivered");
        assertThat(order.getString("currency")).isEqualTo("EUR");
        assertThat(order.getJsonArray("items"))
                .containsExactly(
                        new JsonObject()
                                .put("sku", "ANVIL-50KG")
                                .put("quantity", 1)
                                .put("unitPrice", 49.90),
                        new JsonObject()
                                .put("sku", "BIRD-SEED-1KG")
                                .put("quantity", 2)
                                .put("unitPrice", 4.50));
        assertThat(order.getNumber("total").doubleValue()).isEqualTo(58.90);
    }

    @Test
    void places_an_order_for_the_caller_at_catalogue_prices() {
        Response created = client.post(
                "/api/v2/orders",
                "{\"items\":[{\"sku\":\"ROCKET-SKATES\",\"quantity\":2},{\"sku\":\"EARTHQUAKE-PILLS\",\"quantity\":3}]}",
                USER_ID,
                BOB);

        assertThat(created.status()).isEqualTo(201);
        JsonObject order = created.json();
        assertThat(order.getLong("id")).isEqualTo(6);
        assertThat(order.getLong("ownerId")).isEqualTo(2);
        assertThat(order.getString("status")).isEqualTo("pending");
        assertThat(order.getNumber("total").toString()).isEqualTo("287.97");
        assertThat(created.header("Location")).isEqualTo("/api/v2/orders/6");
        assertThat(ids(client.get("/api/v2/orders", USER_ID, BOB).items())).containsExactly(3L, 4L, 6L);
    }

    @Test
    void refuses_an_order_from_an_anonymous_or_unknown_caller() {
        String body = "{\"items\":[{\"sku\":\"ANVIL-50KG\",\"quantity\":1}]}";

        Response anonymous = client.post("/api/v2/orders", body);
        Response unknown = client.post("/api/v2/orders", body, USER_ID, "99");

        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.error()).isEqualTo("unauthenticated");
        assertThat(unknown.status()).isEqualTo(401);
        assertThat(unknown.error()).isEqualTo("unauthenticated");
    }

    @Test
    void refuses_an_order_for_a_product_not_in_the_catalogue() {
        Response response = client.post(
                "/api/v2/orders", "{\"items\":[{\"sku\":\"ACME-TIME-MACHINE\",\"quantity\":1}]}", USER_ID, ALICE);

        assertThat(response.status()).isEqualTo(422);
        assertThat(response.error()).isEqualTo("unknown_sku");
    }

    @Test
    void disables_a_user_who_then_cannot_order() {
        Response disabled = client.post("/api/v2/admin/users/2/disable", "", USER_ID, RunningShop.CAROL);
        Response again = client.post("/api/v2/admin/users/2/disable", "", USER_ID, RunningShop.CAROL);
        Response order =
                client.post("/api/v2/orders", "{\"items\":[{\"sku\":\"ANVIL-50KG\",\"quantity\":1}]}", USER_ID, BOB);

        assertThat(disabled.status()).isEqualTo(200);
        assertThat(disabled.json().getString("status")).isEqualTo("disabled");
        assertThat(again.status()).isEqualTo(200);
        assertThat(client.get("/api/v2/users/2").json().getString("status")).isEqualTo("disabled");
        assertThat(order.status()).isEqualTo(403);
        assertThat(order.error()).isEqualTo("user_disabled");
    }

    @Test
    void pages_through_lists_with_limit_and_offset() {
        for (int i = 0; i < 5; i++) {
            client.post("/api/v2/users", "{\"name\":\"User " + i + "\",\"email\":\"user" + i + "@acme.example\"}");
        }

        JsonObject second = client.get("/api/v2/users?limit=3&offset=3").json();
        JsonObject beyond = client.get("/api/v2/users?limit=3&offset=50").json();
        JsonObject orders = client.get("/api/v2/orders?limit=2&offset=1").json();

        assertThat(ids(second.getJsonArray("items"))).containsExactly(4L, 5L, 6L);
        assertThat(second.getInteger("total")).isEqualTo(8);
        assertThat(second.getInteger("limit")).isEqualTo(3);
        assertThat(second.getInteger("offset")).isEqualTo(3);
        assertThat(beyond.getJsonArray("items")).isEmpty();
        assertThat(beyond.getInteger("total")).isEqualTo(8);
        assertThat(ids(orders.getJsonArray("items"))).containsExactly(2L, 3L);
        assertThat(client.get("/api/v2/users/1/accounts?limit=1&offset=1")
                        .items()
                        .getJsonObject(0)
                        .getLong("id"))
                .isEqualTo(2);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "limit=0",
                "limit=101",
                "limit=abc",
                "limit=1.5",
                "offset=-1",
                "offset=99999999999",
                "limit=1&limit=2"
            })
    void refuses_pagination_out_of_range(String query) {
        Response response = client.get("/api/v2/users?" + query);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_request");
        assertThat(client.get("/api/v2/orders?" + query).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"name\":\"Eve\",",
                "not json",
                "[1,2]",
                "\"a string\"",
                "null",
                "{\"name\":\"Eve\"}",
                "{\"name\":\"Eve\",\"email\":42}",
                "{\"name\":\"   \",\"email\":\"eve@acme.example\"}",
                "{\"name\":\"Eve\",\"email\":\"not-an-address\"}",
                "{\"name\":\"Eve\",\"email\":\"eve@acme.example\",\"role\":\"root\"}",
                "{\"name\":\"Eve\",\"email\":\"eve@acme.example\",\"role\":true}"
            })
    void answers_400_to_a_malformed_user(String body) {
        Response response = client.post("/api/v2/users", body);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.error()).isEqualTo("invalid_request");
        assertThat(response.json().getString("message")).isNotBlank();
    }

    @Test
    void answers_400_to_an_empty_body() {
        assertThat(client.post("/api/v2/users", "").status()).isEqualTo(400);
    }

    @Test
    void answers_400_to_an_overlong_name() {
        String name = "n".repeat(ShopRouter.MAX_NAME_LENGTH + 1);

        Response response = client.post("/api/v2/users", "{\"name\":\"" + name + "\",\"email\":\"n@acme.example\"}");

        assertThat(response.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{\"items\":[]}",
                "{\"items\":{}}",
                "{\"items\":[42]}",
                "{\"items\":[{\"quantity\":1}]}",
                "{\"items\":[{\"sku\":\"\",\"quantity\":1}]}",
                "{\"items\":[{\"sku\":\"ANVIL-50KG\"}]}",
                "{\"items\":[{\"sku\":\"ANVIL-50KG\",\"quantity\":0}]}",
                "{\"items\":[{\"sku\":\"ANVIL-50KG\",\"quantity\":101}]}",
                "{\"items\":[{\"sku\":\"ANVIL-50KG\",\"quantity\":1.5}]}",
                "{\"items\":[{\"sku\":\"ANVIL-50KG\",\"quantity\":\"1\"}]}",
                "{\"items\":[{\"sku\":\"ANVIL-50KG\",\"quantity\":99999999999999999999999}]}"
            })
    void answers_400_to_a_malformed_order(String body) {
        Response response = client.post("/api/v2/orders", body, USER_ID, ALICE);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_request");
    }

    @Test
    void answers_400_to_an_order_with_too_many_items() {
        JsonArray items = new JsonArray();
        for (int i = 0; i <= ShopRouter.MAX_ORDER_ITEMS; i++) {
            items.add(new JsonObject().put("sku", "ANVIL-50KG").put("quantity", 1));
        }

        Response response = client.post(
                "/api/v2/orders", new JsonObject().put("items", items).encode(), USER_ID, ALICE);

        assertThat(response.status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v2/users/abc",
                "/api/v2/users/0",
                "/api/v2/users/-1",
                "/api/v2/orders/1e3",
                "/api/v1/orders/x"
            })
    void answers_400_to_an_invalid_id(String path) {
        Response response = client.get(path);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.error()).isEqualTo("invalid_request");
    }

    @ParameterizedTest
    @ValueSource(strings = {"abc", "0", "-2", ""})
    void answers_400_to_an_invalid_user_id_header(String header) {
        assertThat(client.get("/api/v2/orders", USER_ID, header).status()).isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/api/v2/users/99",
                "/api/v2/users/99/accounts",
                "/api/v2/orders/99",
                "/api/v1/orders/99",
                "/api/v2/users/9223372036854775807"
            })
    void answers_404_to_an_unknown_id(String path) {
        Response response = client.get(path);

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        assertThat(response.error()).isEqualTo("not_found");
    }

    @Test
    void answers_404_to_disabling_an_unknown_user() {
        assertThat(client.post("/api/v2/admin/users/99/disable", "").status()).isEqualTo(404);
    }

    @Test
    void answers_404_in_json_to_an_unknown_path() {
        Response response = client.get("/api/v3/nothing");

        assertThat(response.status()).isEqualTo(404);
        assertThat(response.json()).isEqualTo(new JsonObject().put("error", "not_found"));
    }

    @Test
    void answers_405_in_json_to_an_unsupported_method() {
        Response response = client.send("DELETE", "/api/v2/users/1", HttpRequest.BodyPublishers.noBody());

        assertThat(response.status()).isEqualTo(405);
        assertThat(response.error()).isEqualTo("method_not_allowed");
    }

    @Test
    void answers_413_to_a_body_over_64_kib() {
        String name = "x".repeat((int) ShopRouter.BODY_LIMIT_BYTES);

        Response response = client.post("/api/v2/users", "{\"name\":\"" + name + "\",\"email\":\"x@acme.example\"}");

        assertThat(response.status()).isEqualTo(413);
        assertThat(response.error()).isEqualTo("payload_too_large");
        assertThat(client.get("/api/v2/users").json().getInteger("total")).isEqualTo(3);
    }

    @Test
    void answers_413_to_a_chunked_body_over_64_kib() {
        byte[] body = ("{\"name\":\"" + "x".repeat((int) ShopRouter.BODY_LIMIT_BYTES) + "\"}")
                .getBytes(StandardCharsets.UTF_8);

        // Without a Content-Length the limit can only be enforced while reading.
        Response response = client.send(
                "POST",
                "/api/v2/users",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body)),
                "Content-Type",
                "application/json");

        assertThat(response.status()).isEqualTo(413);
    }

    @Test
    void refuses_new_users_and_orders_once_the_store_is_full() {
        try (RunningShop small = RunningShop.start(vertx, new ShopStore(4, 6, Clock.systemUTC()))) {
            ShopClient smallClient = small.client();
            String order = "{\"items\":[{\"sku\":\"ANVIL-50KG\",\"quantity\":1}]}";

            Response fourthUser = smallClient.post("/api/v2/users", "{\"name\":\"D\",\"email\":\"d@acme.example\"}");
            Response fifthUser = smallClient.post("/api/v2/users", "{\"name\":\"E\",\"email\":\"e@acme.example\"}");
            Response sixthOrder = smallClient.post("/api/v2/orders", order, USER_ID, ALICE);
            Response seventhOrder = smallClient.post("/api/v2/orders", order, USER_ID, ALICE);

            assertThat(fourthUser.status()).isEqualTo(201);
            assertThat(fifthUser.status()).isEqualTo(507);
            assertThat(fifthUser.error()).isEqualTo("store_full");
            assertThat(sixthOrder.status()).isEqualTo(201);
            assertThat(seventhOrder.status()).isEqualTo(507);
            assertThat(seventhOrder.error()).isEqualTo("store_full");
        }
    }

    @Test
    void refuses_a_port_out_of_range() {
        assertThatThrownBy(() -> AcmeShopApi.start(vertx, "127.0.0.1", 65_536))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AcmeShopApi.start(vertx, "127.0.0.1", -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<Long> ids(JsonArray items) {
        return items.stream().map(item -> ((JsonObject) item).getLong("id")).toList();
    }
}
