package io.bulwark.policies.openapi;

import com.networknt.schema.Schema;
import java.util.Locale;

/**
 * One parameter of an operation, compiled.
 *
 * @param name the parameter's name (case-insensitive for headers)
 * @param in where it is
 * @param required whether it must be present
 * @param shape how the raw text becomes a JSON value
 * @param itemType for arrays, the items' type
 * @param delimiter for arrays not exploded, what separates the items ({@code ','}, {@code ' '}, {@code '|'})
 * @param exploded for query and cookie arrays, whether each item is its own {@code name=value} pair
 * @param schema the compiled schema, or null when the parameter is only checked for presence (objects,
 *     {@code content}-described parameters, styles such as {@code deepObject}, {@code label}, {@code matrix})
 */
record Parameter(
        String name,
        In in,
        boolean required,
        Type shape,
        Type itemType,
        char delimiter,
        boolean exploded,
        Schema schema) {

    /** Where a parameter sits. */
    enum In {
        PATH,
        QUERY,
        HEADER,
        COOKIE;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The JSON type a raw value is read as. */
    enum Type {
        STRING,
        INTEGER,
        NUMBER,
        BOOLEAN,
        ARRAY,
        /** Not checked beyond presence. */
        OTHER
    }

    /** How errors name the parameter: {@code query parameter 'limit'}. */
    String label() {
        return in.label() + " parameter '" + Texts.safe(name) + "'";
    }
}
