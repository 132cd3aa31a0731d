package io.bulwark.demo;

import static java.util.Objects.requireNonNull;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * The routes and handlers of the Acme Shop API.
 *
 * <p>The API is deliberately flawed (each flaw is marked {@code Flaw} where it happens) so that the demo can show
 * the gateway closing them; everything else behaves like a careful API: bad input is a 400 with a JSON error, never a
 * 500, bodies are size-limited and the store is bounded.
 *
 * <p>Identity comes from the {@value #USER_ID_HEADER} header, which the API trusts as an API behind an
 * identity-forwarding gateway would. Without it the caller is anonymous and is still served (a flaw too).
 */
final class ShopRouter {

    static final String USER_ID_HEADER = "X-User-Id";
    /** Far above any legitimate request of this API, small enough that nobody can make it buffer much. */
    static final long BODY_LIMIT_BYTES = 64 * 1024;

    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    static final int MAX_ORDER_ITEMS = 50;
    static final int MAX_QUANTITY = 100;
    static final int MAX_NAME_LENGTH = 100;
    static final int MAX_EMAIL_LENGTH = 254;
    static final int MAX_SKU_LENGTH = 32;

    private static final String APPLICATION_JSON = "application/json";
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final System.Logger LOG = System.getLogger(ShopRouter.class.getName());

    /** Fake configuration for the shadow endpoint: nothing here is read from the machine or is a real secret. */
    private static final String DEBUG_INFO = new JsonObject()
            .put("service", "acme-shop")
            .put("version", "2.0.0")
            .put("environment", "staging")
            .put("debug", true)
            .put(
                    "database",
                    new JsonObject()
                            .put("url", "postgresql://shop:demo-password-not-real@db.acme.example:5432/shop")
                            .put("poolSize", 16))
            .put(
                    "payments",
                    new JsonObject()
                            .put("endpoint", "https://payments.acme.example/v1")
                            .put("apiKey", "demo-payments-key-not-real"))
            .put("jwtSigningSecret", "demo-signing-secret-not-real")
            .put("featureFlags", new JsonObject().put("legacyV1Orders", true).put("adminRoleCheck", false))
            .encodePrettily();

    private final ShopStore store;

    private ShopRouter(ShopStore store) {
        this.store = requireNonNull(store, "store");
    }

    static Router create(Vertx vertx, ShopStore store) {
        return new ShopRouter(store).build(vertx);
    }

    private Router build(Vertx vertx) {
        Router router = Router.router(vertx);
        // No file uploads: otherwise BodyHandler creates an uploads directory in the working directory.
        router.route().handler(BodyHandler.create(false).setBodyLimit(BODY_LIMIT_BYTES));

        router.get("/health").handler(ctx -> sendJson(ctx, 200, new JsonObject().put("status", "UP")));
        router.get("/openapi.yaml").handler(this::openApi);

        router.get("/api/v2/users").handler(this::listUsers);
        router.post("/api/v2/users").handler(this::createUser);
        router.get("/api/v2/users/:userId").handler(this::getUser);
        router.get("/api/v2/users/:userId/accounts").handler(this::listAccounts);
        router.get("/api/v2/orders").handler(this::listOrders);
        router.post("/api/v2/orders").handler(this::createOrder);
        router.get("/api/v2/orders/:orderId").handler(this::getOrder);
        router.post("/api/v2/admin/users/:userId/disable").handler(this::disableUser);

        // Flaw (zombie API): the v1 endpoint the spec marks deprecated is still served.
        router.get("/api/v1/orders/:orderId").handler(this::getOrderV1);
        // Flaw (shadow API): not in the spec at all, and it leaks (fake) configuration.
        router.get("/internal/debug").handler(ctx -> sendJson(ctx, 200, DEBUG_INFO));

        router.route().failureHandler(ShopRouter::sendFailure);
        // The router answers these itself when no route matches; make them JSON like every other error.
        router.errorHandler(404, ShopRouter::sendFailure);
        router.errorHandler(405, ShopRouter::sendFailure);
        return router;
    }

    private void openApi(RoutingContext ctx) {
        ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "application/yaml").end(AcmeShopApi.openApiYaml());
    }

    private void listUsers(RoutingContext ctx) {
        PageRequest page = PageRequest.of(ctx);
        sendJson(ctx, 200, ShopJson.page(store.users(page.limit(), page.offset()), ShopJson::user));
    }

    private void getUser(RoutingContext ctx) {
        long userId = pathId(ctx, "userId");
        User user = store.user(userId).orElseThrow(() -> ApiException.notFound("there is no user " + userId));
        sendJson(ctx, 200, ShopJson.user(user));
    }

    private void createUser(RoutingContext ctx) {
        JsonObject body = jsonBody(ctx);
        String name = requiredString(body, "name", MAX_NAME_LENGTH);
        String email = requiredString(body, "email", MAX_EMAIL_LENGTH);
        if (!EMAIL.matcher(email).matches()) {
            throw ApiException.badRequest("'email' must be an e-mail address");
        }
        // Flaw (mass assignment): the body is bound field by field, including 'role', which UserCreate does not
        // declare. A client can make itself an admin.
        User.Role role = body.containsKey("role") ? role(body.getValue("role")) : User.Role.CUSTOMER;
        User user = store.createUser(name, email, role);
        sendCreated(ctx, "/api/v2/users/" + user.id(), ShopJson.user(user));
    }

    private void listAccounts(RoutingContext ctx) {
        long userId = pathId(ctx, "userId");
        PageRequest page = PageRequest.of(ctx);
        // Flaw (BOLA): anyone may list anyone's accounts; the caller is not compared with userId.
        Page<Account> accounts = store.accounts(userId, page.limit(), page.offset())
                .orElseThrow(() -> ApiException.notFound("there is no user " + userId));
        sendJson(ctx, 200, ShopJson.page(accounts, ShopJson::account));
    }

    private void listOrders(RoutingContext ctx) {
        PageRequest page = PageRequest.of(ctx);
        // A known caller sees their own orders. Flaw: an anonymous caller is served every user's orders.
        Page<Order> orders = store.orders(caller(ctx), page.limit(), page.offset());
        sendJson(ctx, 200, ShopJson.page(orders, ShopJson::order));
    }

    private void getOrder(RoutingContext ctx) {
        // Flaw (BOLA): the order is returned whoever asks; ownerId is never compared with the caller.
        sendJson(ctx, 200, ShopJson.order(findOrder(pathId(ctx, "orderId"))));
    }

    private void getOrderV1(RoutingContext ctx) {
        sendJson(ctx, 200, ShopJson.orderV1(findOrder(pathId(ctx, "orderId"))));
    }

    private void createOrder(RoutingContext ctx) {
        JsonObject body = jsonBody(ctx);
        List<ShopStore.ItemRequest> items = orderItems(body);
        // An order needs an owner, so this is the one place where an anonymous caller is turned away.
        long ownerId = caller(ctx)
                .orElseThrow(() -> new ApiException(401, "unauthenticated", "placing an order needs a known user"));
        Order order = store.createOrder(ownerId, items);
        sendCreated(ctx, "/api/v2/orders/" + order.id(), ShopJson.order(order));
    }

    private void disableUser(RoutingContext ctx) {
        long userId = pathId(ctx, "userId");
        // Flaw (BFLA): an admin function that never checks that the caller is an admin, or is anyone at all.
        User user = store.disableUser(userId).orElseThrow(() -> ApiException.notFound("there is no user " + userId));
        sendJson(ctx, 200, ShopJson.user(user));
    }

    private Order findOrder(long orderId) {
        return store.order(orderId).orElseThrow(() -> ApiException.notFound("there is no order " + orderId));
    }

    /** The page requested with the {@code limit} and {@code offset} query parameters. */
    record PageRequest(int limit, int offset) {

        static PageRequest of(RoutingContext ctx) {
            return new PageRequest(
                    intQueryParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT),
                    intQueryParam(ctx, "offset", 0, 0, Integer.MAX_VALUE));
        }
    }

    private static int intQueryParam(RoutingContext ctx, String name, int defaultValue, int min, int max) {
        List<String> values = ctx.queryParam(name);
        if (values.isEmpty()) {
            return defaultValue;
        }
        // The message states the rule rather than echoing the value, which may be arbitrarily long.
        String rule = "query parameter '" + name + "' must be given once, as an integer from " + min
                + (max == Integer.MAX_VALUE ? " up" : " to " + max);
        if (values.size() > 1) {
            throw ApiException.badRequest(rule);
        }
        try {
            int value = Integer.parseInt(values.get(0));
            if (value < min || value > max) {
                throw ApiException.badRequest(rule);
            }
            return value;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(rule);
        }
    }

    private static long pathId(RoutingContext ctx, String name) {
        return positiveLong(ctx.pathParam(name))
                .orElseThrow(() -> ApiException.badRequest("path parameter '" + name + "' must be a positive integer"));
    }

    /** The caller named by {@value #USER_ID_HEADER}; empty for an anonymous caller. */
    private static OptionalLong caller(RoutingContext ctx) {
        String header = ctx.request().getHeader(USER_ID_HEADER);
        if (header == null) {
            return OptionalLong.empty();
        }
        OptionalLong userId = positiveLong(header);
        if (userId.isEmpty()) {
            throw ApiException.badRequest("header " + USER_ID_HEADER + " must be a positive integer");
        }
        return userId;
    }

    private static OptionalLong positiveLong(String text) {
        try {
            long value = Long.parseLong(text);
            return value >= 1 ? OptionalLong.of(value) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static JsonObject jsonBody(RoutingContext ctx) {
        Buffer buffer = ctx.body().buffer();
        if (buffer == null || buffer.length() == 0) {
            throw ApiException.badRequest("the request body must be a JSON object");
        }
        Object value;
        try {
            value = Json.decodeValue(buffer);
        } catch (DecodeException e) {
            throw ApiException.badRequest("the request body is not valid JSON");
        }
        if (value instanceof JsonObject object) {
            return object;
        }
        throw ApiException.badRequest("the request body must be a JSON object");
    }

    private static String requiredString(JsonObject body, String field, int maxLength) {
        if (body.getValue(field) instanceof String text && !text.isBlank()) {
            String value = text.strip();
            if (value.length() <= maxLength) {
                return value;
            }
        }
        throw ApiException.badRequest(
                "'" + field + "' must be a non-blank string of at most " + maxLength + " characters");
    }

    private static User.Role role(Object value) {
        if (value instanceof String text) {
            for (User.Role role : User.Role.values()) {
                if (role.wireName().equals(text)) {
                    return role;
                }
            }
        }
        throw ApiException.badRequest("'role' must be \"customer\" or \"admin\"");
    }

    private static List<ShopStore.ItemRequest> orderItems(JsonObject body) {
        if (!(body.getValue("items") instanceof JsonArray array) || array.isEmpty() || array.size() > MAX_ORDER_ITEMS) {
            throw ApiException.badRequest("'items' must be an array of 1 to " + MAX_ORDER_ITEMS + " items");
        }
        List<ShopStore.ItemRequest> items = new ArrayList<>(array.size());
        for (int i = 0; i < array.size(); i++) {
            if (!(array.getValue(i) instanceof JsonObject item)) {
                throw ApiException.badRequest("'items[" + i + "]' must be an object");
            }
            if (!(item.getValue("sku") instanceof String sku) || sku.isEmpty() || sku.length() > MAX_SKU_LENGTH) {
                throw ApiException.badRequest(
                        "'items[" + i + "].sku' must be a string of 1 to " + MAX_SKU_LENGTH + " characters");
            }
            if (!(item.getValue("quantity") instanceof Number quantity)
                    || !(quantity instanceof Integer || quantity instanceof Long)
                    || quantity.longValue() < 1
                    || quantity.longValue() > MAX_QUANTITY) {
                throw ApiException.badRequest(
                        "'items[" + i + "].quantity' must be an integer from 1 to " + MAX_QUANTITY);
            }
            items.add(new ShopStore.ItemRequest(sku, quantity.intValue()));
        }
        return items;
    }

    private static void sendCreated(RoutingContext ctx, String location, JsonObject body) {
        ctx.response().putHeader(HttpHeaders.LOCATION, location);
        sendJson(ctx, 201, body);
    }

    private static void sendJson(RoutingContext ctx, int status, JsonObject body) {
        sendJson(ctx, status, body.encode());
    }

    private static void sendJson(RoutingContext ctx, int status, String body) {
        ctx.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, APPLICATION_JSON)
                .end(body);
    }

    /** Answers any failure with a JSON error; only a bug gives a 500. */
    private static void sendFailure(RoutingContext ctx) {
        if (ctx.response().headWritten()) {
            // Too late for an error document: cut the response short so the client sees it failed.
            ctx.response().reset();
            return;
        }
        Throwable failure = ctx.failure();
        if (failure instanceof ApiException e) {
            sendJson(ctx, e.status(), ShopJson.error(e.error(), e.getMessage()));
        } else if (failure instanceof ShopStore.Rejected rejected) {
            sendJson(
                    ctx,
                    rejectedStatus(rejected.reason()),
                    ShopJson.error(rejectedError(rejected.reason()), rejected.getMessage()));
        } else if (ctx.statusCode() >= 400 && ctx.statusCode() < 500) {
            // Failures raised by Vert.x itself: no route (404), wrong method (405), body over the limit (413).
            sendJson(ctx, ctx.statusCode(), ShopJson.error(errorFor(ctx.statusCode()), null));
        } else {
            LOG.log(
                    System.Logger.Level.ERROR,
                    "unexpected failure on " + ctx.request().method() + " "
                            + ctx.request().path(),
                    failure);
            sendJson(ctx, 500, ShopJson.error("internal_error", null));
        }
    }

    private static int rejectedStatus(ShopStore.Rejected.Reason reason) {
        return switch (reason) {
            case STORE_FULL -> 507;
            case DUPLICATE_EMAIL -> 409;
            case UNKNOWN_OWNER -> 401;
            case OWNER_DISABLED -> 403;
            case UNKNOWN_SKU -> 422;
        };
    }

    private static String rejectedError(ShopStore.Rejected.Reason reason) {
        return switch (reason) {
            case STORE_FULL -> "store_full";
            case DUPLICATE_EMAIL -> "conflict";
            case UNKNOWN_OWNER -> "unauthenticated";
            case OWNER_DISABLED -> "user_disabled";
            case UNKNOWN_SKU -> "unknown_sku";
        };
    }

    private static String errorFor(int status) {
        return switch (status) {
            case 400 -> "invalid_request";
            case 401 -> "unauthenticated";
            case 403 -> "forbidden";
            case 404 -> "not_found";
            case 405 -> "method_not_allowed";
            case 413 -> "payload_too_large";
            case 415 -> "unsupported_media_type";
            default -> "http_" + status;
        };
    }
}
