package io.bulwark.demo;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/** An order placed by the user {@code ownerId}; {@code total} is the sum of the line totals. */
record Order(
        long id,
        long ownerId,
        List<OrderItem> items,
        BigDecimal total,
        String currency,
        Status status,
        Instant createdAt) {

    Order {
        items = List.copyOf(items);
        requireNonNull(total, "total");
        requireNonNull(currency, "currency");
        requireNonNull(status, "status");
        requireNonNull(createdAt, "createdAt");
    }

    enum Status {
        PENDING,
        PAID,
        SHIPPED,
        DELIVERED,
        CANCELLED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
