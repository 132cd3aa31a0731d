package io.bulwark.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ShopStoreTest {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00.123456Z"), ZoneOffset.UTC);

    @Test
    void seeds_three_users_with_fixed_ids_and_roles() {
        ShopStore store = new ShopStore();

        assertThat(store.users(100, 0).items())
                .extracting(User::id, User::name, User::role)
                .containsExactly(
                        tuple(1L, "Alice Adams", User.Role.CUSTOMER),
                        tuple(2L, "Bob Baker", User.Role.CUSTOMER),
                        tuple(3L, "Carol Chen", User.Role.ADMIN));
    }

    @Test
    void seeds_accounts_and_orders_for_every_user() {
        ShopStore store = new ShopStore();

        for (long userId = 1; userId <= 3; userId++) {
            assertThat(store.accounts(userId, 100, 0).orElseThrow().items()).isNotEmpty();
            assertThat(store.orders(OptionalLong.of(userId), 100, 0).items()).isNotEmpty();
        }
        assertThat(store.orders(OptionalLong.empty(), 100, 0).total()).isEqualTo(5);
    }

    @Test
    void seeds_the_same_data_every_time() {
        assertThat(new ShopStore().users(100, 0)).isEqualTo(new ShopStore().users(100, 0));
        assertThat(new ShopStore().orders(OptionalLong.empty(), 100, 0))
                .isEqualTo(new ShopStore().orders(OptionalLong.empty(), 100, 0));
    }

    @Test
    void prices_an_order_from_the_catalogue() {
        ShopStore store = new ShopStore(10, 10, CLOCK);

        Order order = store.createOrder(
                1, List.of(new ShopStore.ItemRequest("ANVIL-50KG", 3), new ShopStore.ItemRequest("BIRD-SEED-1KG", 1)));

        assertThat(order.total()).isEqualByComparingTo(new BigDecimal("154.20"));
        assertThat(order.items().get(0).unitPrice()).isEqualByComparingTo("49.90");
        assertThat(order.status()).isEqualTo(Order.Status.PENDING);
        assertThat(order.createdAt()).isEqualTo(Instant.parse("2025-06-01T12:00:00.123Z"));
    }

    @Test
    void rejects_an_unknown_sku_without_storing_anything() {
        ShopStore store = new ShopStore(10, 10, CLOCK);

        assertThatThrownBy(() -> store.createOrder(
                        1, List.of(new ShopStore.ItemRequest("ANVIL-50KG", 1), new ShopStore.ItemRequest("NOPE", 1))))
                .isInstanceOfSatisfying(
                        ShopStore.Rejected.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(ShopStore.Rejected.Reason.UNKNOWN_SKU));
        assertThat(store.orders(OptionalLong.empty(), 100, 0).total()).isEqualTo(5);
    }

    @Test
    void rejects_users_and_orders_beyond_its_bounds() {
        ShopStore store = new ShopStore(4, 5, CLOCK);
        store.createUser("Dave", "dave@acme.example", User.Role.CUSTOMER);

        assertThatThrownBy(() -> store.createUser("Eve", "eve@acme.example", User.Role.CUSTOMER))
                .isInstanceOfSatisfying(
                        ShopStore.Rejected.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(ShopStore.Rejected.Reason.STORE_FULL));
        assertThatThrownBy(() -> store.createOrder(1, List.of(new ShopStore.ItemRequest("ANVIL-50KG", 1))))
                .isInstanceOfSatisfying(
                        ShopStore.Rejected.class,
                        rejected -> assertThat(rejected.reason()).isEqualTo(ShopStore.Rejected.Reason.STORE_FULL));
    }

    @Test
    void refuses_bounds_too_small_for_the_seed_data() {
        assertThatThrownBy(() -> new ShopStore(2, 10, CLOCK)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stays_within_its_bounds_under_concurrent_creation() throws Exception {
        int capacity = 3 + 200;
        ShopStore store = new ShopStore(capacity, 10, CLOCK);
        AtomicInteger rejected = new AtomicInteger();
        Set<Long> ids = ConcurrentHashMap.newKeySet();

        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> tasks = new ArrayList<>();
            for (int thread = 0; thread < 8; thread++) {
                int t = thread;
                tasks.add(pool.submit(() -> {
                    for (int i = 0; i < 50; i++) {
                        try {
                            ids.add(store.createUser("U", "u" + t + "-" + i + "@acme.example", User.Role.CUSTOMER)
                                    .id());
                        } catch (ShopStore.Rejected e) {
                            rejected.incrementAndGet();
                        }
                    }
                }));
            }
            for (Future<?> task : tasks) {
                task.get();
            }
        }

        assertThat(ids).hasSize(200);
        assertThat(rejected).hasValue(8 * 50 - 200);
        assertThat(store.users(1, 0).total()).isEqualTo(capacity);
    }

    @Test
    void makes_a_deterministic_bcrypt_shaped_fake_hash() {
        String hash = ShopStore.fakePasswordHash("alice@acme.example");

        assertThat(hash).matches("\\$2b\\$12\\$[./A-Za-z0-9]{53}").hasSize(60);
        assertThat(ShopStore.fakePasswordHash("alice@acme.example")).isEqualTo(hash);
        assertThat(ShopStore.fakePasswordHash("bob@acme.example")).isNotEqualTo(hash);
    }

    @Test
    void disabling_keeps_everything_but_the_status() {
        ShopStore store = new ShopStore();
        User before = store.user(1).orElseThrow();

        User after = store.disableUser(1).orElseThrow();

        assertThat(after.status()).isEqualTo(User.Status.DISABLED);
        assertThat(after).usingRecursiveComparison().ignoringFields("status").isEqualTo(before);
        assertThat(store.disableUser(99)).isEmpty();
    }

    @Test
    void pages_past_the_end_are_empty() {
        Page<Integer> page = Page.of(List.of(1, 2, 3), 2, 5);

        assertThat(page.items()).isEmpty();
        assertThat(page.total()).isEqualTo(3);
        assertThat(Page.of(List.of(1, 2, 3), 2, 1).items()).containsExactly(2, 3);
        assertThat(Page.of(List.of(1, 2, 3), 100, Integer.MAX_VALUE).items()).isEmpty();
    }
}
