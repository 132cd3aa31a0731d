package io.bulwark.demo;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/** One line of an {@link Order}; the unit price is the catalogue price when the order was placed. */
record OrderItem(String sku, int quantity, BigDecimal unitPrice) {

    OrderItem {
        requireNonNull(sku, "sku");
        requireNonNull(unitPrice, "unitPrice");
    }

    BigDecimal lineTotal() {
        return unitPrice.multiply(BigDecimal.valueOf(quantity));
    }
}
