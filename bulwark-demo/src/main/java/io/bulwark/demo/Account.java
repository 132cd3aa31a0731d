package io.bulwark.demo;

import static java.util.Objects.requireNonNull;

import java.math.BigDecimal;

/**
 * A user's bank account.
 *
 * @param number an IBAN-shaped account number with the non-existent country code {@code XX}, so it can never be
 *     mistaken for a real one
 */
record Account(long id, long userId, String number, BigDecimal balance, String currency) {

    Account {
        requireNonNull(number, "number");
        requireNonNull(balance, "balance");
        requireNonNull(currency, "currency");
    }
}
