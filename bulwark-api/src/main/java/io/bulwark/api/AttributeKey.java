package io.bulwark.api;

import static java.util.Objects.requireNonNull;

/**
 * A typed key for values that policies share through the {@link Exchange}, such as the authenticated principal.
 * Keys are compared by identity: declare each one once as a constant.
 *
 * @param <T> the type of the value
 */
public final class AttributeKey<T> {
    private final String name;
    private final Class<T> type;

    private AttributeKey(String name, Class<T> type) {
        this.name = requireNonNull(name, "name");
        this.type = requireNonNull(type, "type");
    }

    public static <T> AttributeKey<T> of(String name, Class<T> type) {
        return new AttributeKey<>(name, type);
    }

    public String name() {
        return name;
    }

    public Class<T> type() {
        return type;
    }

    @Override
    public String toString() {
        return "AttributeKey[" + name + ": " + type.getSimpleName() + "]";
    }
}
