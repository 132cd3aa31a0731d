package io.bulwark.demo;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.util.Locale;

/**
 * A shop user as stored by {@link ShopStore}.
 *
 * @param passwordHash a fake bcrypt-looking string; it exists only so that the API can leak it (excessive data
 *     exposure), no password is ever set or checked
 */
record User(long id, String name, String email, Role role, Status status, String passwordHash, Instant createdAt) {

    User {
        requireNonNull(name, "name");
        requireNonNull(email, "email");
        requireNonNull(role, "role");
        requireNonNull(status, "status");
        requireNonNull(passwordHash, "passwordHash");
        requireNonNull(createdAt, "createdAt");
    }

    User disabled() {
        return new User(id, name, email, role, Status.DISABLED, passwordHash, createdAt);
    }

    enum Role {
        CUSTOMER,
        ADMIN;

        /** The lower-case spelling used in JSON ({@code "customer"}, {@code "admin"}). */
        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    enum Status {
        ACTIVE,
        DISABLED;

        String wireName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
