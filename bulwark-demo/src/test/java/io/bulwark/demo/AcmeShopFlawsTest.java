package io.bulwark.demo;

import static io.bulwark.demo.RunningShop.ALICE;
import static io.bulwark.demo.RunningShop.BOB;
import static io.bulwark.demo.RunningShop.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.demo.ShopClient.Response;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The deliberate flaws, called directly (no gateway in front). The demo relies on each of them: if one of these
 * tests fails, the gateway has nothing left to show for that flaw.
 */
class AcmeShopFlawsTest {

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
    void returns_any_users_order_without_checking_owner() {
        // Alice (user 1) asks for order 3, which belongs to Bob (user 2).
        Response response = client.get("/api/v2/orders/3", USER_ID, ALICE);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().getLong("ownerId")).isEqualTo(2);
    }

    @Test
    void returns_orders_to_an_anonymous_caller() {
        Response one = client.get("/api/v2/orders/1");
        Response all = client.get("/api/v2/orders");

        assertThat(one.status()).isEqualTo(200);
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.json().getInteger("total")).isEqualTo(5);
        assertThat(all.items().stream().map(order -> ((JsonObject) order).getLong("ownerId")))
                .contains(1L, 2L, 3L);
    }

    @Test
    void lists_another_users_accounts() {
        Response response = client.get("/api/v2/users/3/accounts", USER_ID, BOB);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.items().getJsonObject(0).getLong("userId")).isEqualTo(3);
    }

    @Test
    void applies_an_undeclared_role_on_user_creation() {
        Response created = client.post(
                "/api/v2/users", "{\"name\":\"Mallory\",\"email\":\"mallory@evil.example\",\"role\":\"admin\"}");

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().getString("role")).isEqualTo("admin");
        long id = created.json().getLong("id");
        assertThat(client.get("/api/v2/users/" + id).json().getString("role")).isEqualTo("admin");
    }

    @Test
    void exposes_password_hashes_in_user_responses() {
        JsonObject one = client.get("/api/v2/users/1").json();
        JsonObject listed = client.get("/api/v2/users").items().getJsonObject(0);
        JsonObject created = client.post("/api/v2/users", "{\"name\":\"Dave\",\"email\":\"dave@acme.example\"}")
                .json();

        assertThat(one.getString("passwordHash")).matches("\\$2b\\$12\\$[./A-Za-z0-9]{53}");
        assertThat(listed.getString("passwordHash")).isEqualTo(one.getString("passwordHash"));
        assertThat(created.getString("passwordHash")).startsWith("$2b$12$");
    }

    @Test
    void serves_an_undocumented_debug_endpoint_with_fake_configuration() {
        Response response = client.get("/internal/debug");

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.header("Content-Type")).isEqualTo("application/json");
        JsonObject debug = response.json();
        assertThat(debug.getString("environment")).isEqualTo("staging");
        assertThat(debug.getJsonObject("database").getString("url")).contains("not-real");
        assertThat(debug.getJsonObject("payments").getString("apiKey")).contains("not-real");
        assertThat(debug.getJsonObject("featureFlags").getBoolean("adminRoleCheck"))
                .isFalse();
    }

    @Test
    void still_serves_the_deprecated_v1_endpoint() {
        Response response = client.get("/api/v1/orders/4");

        assertThat(response.status()).isEqualTo(200);
        JsonObject order = response.json();
        assertThat(order.fieldNames())
                .containsExactlyInAnyOrder("orderId", "customerId", "amount", "currency", "state");
        assertThat(order.getLong("orderId")).isEqualTo(4);
        assertThat(order.getLong("customerId")).isEqualTo(2);
        assertThat(order.getNumber("amount").doubleValue()).isEqualTo(39.90);
        assertThat(order.getString("state")).isEqualTo("PENDING");
    }

    @Test
    void lets_a_customer_call_the_admin_function() {
        // Bob is a customer, not an admin, and disables Carol, the admin.
        Response response = client.post("/api/v2/admin/users/3/disable", "", USER_ID, BOB);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.json().getString("status")).isEqualTo("disabled");
    }

    @Test
    void lets_an_anonymous_caller_call_the_admin_function() {
        assertThat(client.post("/api/v2/admin/users/1/disable", "").status()).isEqualTo(200);
    }

    @Test
    void does_not_limit_the_request_rate() {
        for (int i = 0; i < 200; i++) {
            assertThat(client.get("/api/v2/users/1").status()).isEqualTo(200);
        }
    }
}
