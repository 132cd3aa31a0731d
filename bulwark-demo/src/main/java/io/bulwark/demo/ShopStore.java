package io.bulwark.demo;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The in-memory data of the Acme Shop: users, their accounts and their orders, seeded with the same data on every
 * start so the demo script and the tests can name ids (alice is user 1, her orders are 1 and 2, ...).
 *
 * <p>Every method is {@code synchronized}: the API runs on one event loop today, but the store must stay consistent
 * if it is ever shared by several verticles. Returned values are immutable records and lists.
 *
 * <p>The store is bounded ({@link #DEFAULT_MAX_USERS}, {@link #DEFAULT_MAX_ORDERS}) so that a demo left running on a
 * reachable port cannot be grown until the JVM runs out of memory.
 */
final class ShopStore {

    static final int DEFAULT_MAX_USERS = 10_000;
    static final int DEFAULT_MAX_ORDERS = 10_000;
    static final String CURRENCY = "EUR";

    /** What can be ordered, with unit prices in {@link #CURRENCY}. */
    static final Map<String, BigDecimal> CATALOG = orderedMap(
            "ANVIL-50KG", "49.90",
            "ROCKET-SKATES", "129.00",
            "BIRD-SEED-1KG", "4.50",
            "GIANT-MAGNET", "79.99",
            "PORTABLE-HOLE", "19.95",
            "EARTHQUAKE-PILLS", "9.99");

    private static final char[] BCRYPT_ALPHABET =
            "./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private final int maxUsers;
    private final int maxOrders;
    private final Clock clock;

    // LinkedHashMap: iteration in insertion order, which is id order, gives stable pages.
    private final Map<Long, User> users = new LinkedHashMap<>();
    private final Set<String> emails = new HashSet<>();
    private final Map<Long, Account> accounts = new LinkedHashMap<>();
    private final Map<Long, Order> orders = new LinkedHashMap<>();
    private long nextUserId = 1;
    private long nextAccountId = 1;
    private long nextOrderId = 1;

    /** A seeded store with the default bounds and the system clock. */
    ShopStore() {
        this(DEFAULT_MAX_USERS, DEFAULT_MAX_ORDERS, Clock.systemUTC());
    }

    /** A seeded store; the bounds include the seeded users and orders. */
    ShopStore(int maxUsers, int maxOrders, Clock clock) {
        this.clock = requireNonNull(clock, "clock");
        this.maxUsers = maxUsers;
        this.maxOrders = maxOrders;
        seed();
        if (users.size() > maxUsers || orders.size() > maxOrders) {
            throw new IllegalArgumentException("the bounds must leave room for the seed data: maxUsers >= "
                    + users.size() + ", maxOrders >= " + orders.size());
        }
    }

    synchronized Page<User> users(int limit, int offset) {
        return Page.of(new ArrayList<>(users.values()), limit, offset);
    }

    synchronized Optional<User> user(long id) {
        return Optional.ofNullable(users.get(id));
    }

    /** Creates an active user with the given role; rejects a duplicate e-mail address and a full store. */
    synchronized User createUser(String name, String email, User.Role role) {
        if (users.size() >= maxUsers) {
            throw new Rejected(Rejected.Reason.STORE_FULL, "the demo store holds at most " + maxUsers + " users");
        }
        if (emails.contains(email.toLowerCase(Locale.ROOT))) {
            throw new Rejected(Rejected.Reason.DUPLICATE_EMAIL, "a user with this e-mail address already exists");
        }
        return addUser(name, email, role, now());
    }

    /** Marks the user disabled (idempotent); empty when there is no such user. */
    synchronized Optional<User> disableUser(long id) {
        return Optional.ofNullable(users.computeIfPresent(id, (key, user) -> user.disabled()));
    }

    /** The user's accounts; empty when there is no such user. */
    synchronized Optional<Page<Account>> accounts(long userId, int limit, int offset) {
        if (!users.containsKey(userId)) {
            return Optional.empty();
        }
        List<Account> owned = accounts.values().stream()
                .filter(account -> account.userId() == userId)
                .toList();
        return Optional.of(Page.of(owned, limit, offset));
    }

    /** The orders of {@code ownerId}, or all orders when it is empty. */
    synchronized Page<Order> orders(OptionalLong ownerId, int limit, int offset) {
        List<Order> selected = orders.values().stream()
                .filter(order -> ownerId.isEmpty() || order.ownerId() == ownerId.getAsLong())
                .toList();
        return Page.of(selected, limit, offset);
    }

    synchronized Optional<Order> order(long id) {
        return Optional.ofNullable(orders.get(id));
    }

    /**
     * Places a pending order for {@code ownerId} at catalogue prices; rejects an unknown or disabled owner, an
     * unknown SKU and a full store.
     */
    synchronized Order createOrder(long ownerId, List<ItemRequest> items) {
        User owner = users.get(ownerId);
        if (owner == null) {
            throw new Rejected(Rejected.Reason.UNKNOWN_OWNER, "there is no user " + ownerId);
        }
        if (owner.status() == User.Status.DISABLED) {
            throw new Rejected(Rejected.Reason.OWNER_DISABLED, "user " + ownerId + " is disabled");
        }
        for (ItemRequest item : items) {
            if (!CATALOG.containsKey(item.sku())) {
                throw new Rejected(Rejected.Reason.UNKNOWN_SKU, "unknown sku: " + item.sku());
            }
        }
        if (orders.size() >= maxOrders) {
            throw new Rejected(Rejected.Reason.STORE_FULL, "the demo store holds at most " + maxOrders + " orders");
        }
        return addOrder(ownerId, Order.Status.PENDING, now(), items);
    }

    /** A requested order line: which product and how many. */
    record ItemRequest(String sku, int quantity) {

        ItemRequest {
            requireNonNull(sku, "sku");
        }
    }

    /** A request the store refuses; the reason tells the API which status to answer with. */
    static final class Rejected extends RuntimeException {

        enum Reason {
            STORE_FULL,
            DUPLICATE_EMAIL,
            UNKNOWN_OWNER,
            OWNER_DISABLED,
            UNKNOWN_SKU
        }

        private final Reason reason;

        Rejected(Reason reason, String message) {
            // An expected outcome, not a bug: no stack trace to fill in.
            super(message, null, false, false);
            this.reason = requireNonNull(reason, "reason");
        }

        Reason reason() {
            return reason;
        }
    }

    private void seed() {
        User alice = addUser("Alice Adams", "alice@acme.example", User.Role.CUSTOMER, at("2024-01-15T09:30:00Z"));
        User bob = addUser("Bob Baker", "bob@acme.example", User.Role.CUSTOMER, at("2024-02-03T14:05:00Z"));
        User carol = addUser("Carol Chen", "carol@acme.example", User.Role.ADMIN, at("2023-11-20T08:00:00Z"));

        addAccount(alice.id(), "1250.00", "EUR");
        addAccount(alice.id(), "8400.50", "EUR");
        addAccount(bob.id(), "310.75", "EUR");
        addAccount(carol.id(), "15000.00", "USD");

        addOrder(
                alice.id(),
                Order.Status.DELIVERED,
                at("2024-03-01T10:00:00Z"),
                List.of(new ItemRequest("ANVIL-50KG", 1), new ItemRequest("BIRD-SEED-1KG", 2)));
        addOrder(
                alice.id(),
                Order.Status.SHIPPED,
                at("2024-04-12T16:45:00Z"),
                List.of(new ItemRequest("ROCKET-SKATES", 1)));
        addOrder(bob.id(), Order.Status.PAID, at("2024-04-20T11:20:00Z"), List.of(new ItemRequest("GIANT-MAGNET", 1)));
        addOrder(
                bob.id(),
                Order.Status.PENDING,
                at("2024-05-02T07:55:00Z"),
                List.of(new ItemRequest("PORTABLE-HOLE", 2)));
        addOrder(
                carol.id(),
                Order.Status.DELIVERED,
                at("2024-02-10T13:10:00Z"),
                List.of(new ItemRequest("BIRD-SEED-1KG", 10)));
    }

    private User addUser(String name, String email, User.Role role, Instant createdAt) {
        User user = new User(nextUserId++, name, email, role, User.Status.ACTIVE, fakePasswordHash(email), createdAt);
        users.put(user.id(), user);
        emails.add(email.toLowerCase(Locale.ROOT));
        return user;
    }

    private void addAccount(long userId, String balance, String currency) {
        long id = nextAccountId++;
        String number = String.format(Locale.ROOT, "XX00 ACME %04d %04d", userId, id);
        accounts.put(id, new Account(id, userId, number, new BigDecimal(balance), currency));
    }

    private Order addOrder(long ownerId, Order.Status status, Instant createdAt, List<ItemRequest> requested) {
        List<OrderItem> items = requested.stream()
                .map(item -> new OrderItem(item.sku(), item.quantity(), CATALOG.get(item.sku())))
                .toList();
        BigDecimal total = items.stream().map(OrderItem::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        Order order = new Order(nextOrderId++, ownerId, items, total, CURRENCY, status, createdAt);
        orders.put(order.id(), order);
        return order;
    }

    private Instant now() {
        // Millisecond precision keeps the timestamps short and still ordered.
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    private static Instant at(String instant) {
        return Instant.parse(instant);
    }

    /**
     * A string shaped like a bcrypt hash ({@code $2b$12$} and 53 characters of its alphabet) so the leak is
     * recognisable in the demo. It is a digest of the e-mail address: there is no password behind it.
     */
    static String fakePasswordHash(String email) {
        byte[] digest;
        try {
            digest = MessageDigest.getInstance("SHA-512")
                    .digest(("acme-demo:" + email).getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK provides SHA-512", e);
        }
        StringBuilder hash = new StringBuilder("$2b$12$");
        for (int i = 0; i < 53; i++) {
            hash.append(BCRYPT_ALPHABET[(digest[i] & 0xFF) % BCRYPT_ALPHABET.length]);
        }
        return hash.toString();
    }

    private static Map<String, BigDecimal> orderedMap(String... skuAndPrice) {
        Map<String, BigDecimal> map = new LinkedHashMap<>();
        for (int i = 0; i < skuAndPrice.length; i += 2) {
            map.put(skuAndPrice[i], new BigDecimal(skuAndPrice[i + 1]));
        }
        return Collections.unmodifiableMap(map);
    }
}
