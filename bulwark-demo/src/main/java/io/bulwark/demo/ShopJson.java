package io.bulwark.demo;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Locale;
import java.util.function.Function;

/** The JSON shapes of the API; field names follow the schemas in {@code openapi.yaml}, except where noted. */
final class ShopJson {

    private ShopJson() {}

    static JsonObject user(User user) {
        return new JsonObject()
                .put("id", user.id())
                .put("name", user.name())
                .put("email", user.email())
                .put("role", user.role().wireName())
                .put("status", user.status().wireName())
                .put("createdAt", user.createdAt().toString())
                // Flaw (excessive data exposure): the User schema has no such property.
                .put("passwordHash", user.passwordHash());
    }

    static JsonObject account(Account account) {
        return new JsonObject()
                .put("id", account.id())
                .put("userId", account.userId())
                .put("number", account.number())
                .put("balance", account.balance())
                .put("currency", account.currency());
    }

    static JsonObject order(Order order) {
        JsonArray items = new JsonArray();
        for (OrderItem item : order.items()) {
            items.add(new JsonObject()
                    .put("sku", item.sku())
                    .put("quantity", item.quantity())
                    .put("unitPrice", item.unitPrice()));
        }
        return new JsonObject()
                .put("id", order.id())
                .put("ownerId", order.ownerId())
                .put("items", items)
                .put("total", order.total())
                .put("currency", order.currency())
                .put("status", order.status().wireName())
                .put("createdAt", order.createdAt().toString());
    }

    /** The representation of the deprecated v1 API, kept for old clients: other names, upper-case states. */
    static JsonObject orderV1(Order order) {
        return new JsonObject()
                .put("orderId", order.id())
                .put("customerId", order.ownerId())
                .put("amount", order.total())
                .put("currency", order.currency())
                .put("state", order.status().name().toUpperCase(Locale.ROOT));
    }

    static <T> JsonObject page(Page<T> page, Function<T, JsonObject> element) {
        JsonArray items = new JsonArray();
        page.items().forEach(item -> items.add(element.apply(item)));
        return new JsonObject()
                .put("items", items)
                .put("total", page.total())
                .put("limit", page.limit())
                .put("offset", page.offset());
    }

    static JsonObject error(String error, String message) {
        JsonObject body = new JsonObject().put("error", error);
        return message == null ? body : body.put("message", message);
    }
}
