package io.bulwark.openapi.response;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * What a response schema lets through, compiled once from the schema: the properties each object declares, what
 * its undeclared properties may be, and the shape of array elements. Shapes form a graph (a recursive schema gives
 * a cycle), so a shape is only ever walked alongside a finite JSON value. Opaque outside this package: obtain one
 * from {@link ResponseContract#lookup} and hand it to {@link ResponseFilter#filter}.
 */
public final class Shape {
    /** Lets everything through: no schema, a free-form object, or a schema that declares no structure. */
    static final Shape ANY = new Shape();

    static {
        ANY.freeObject = true;
        ANY.items = ANY;
    }

    // Written only while the contract is compiled, before the contract (and so the shape) is published.
    /** True when the schema says nothing about properties: every property is kept, as free-form. */
    boolean freeObject;

    /** Declared properties that may appear in a response, and the shape of their values. */
    final Map<String, Shape> properties = new HashMap<>();

    /** Declared properties marked {@code writeOnly}: never sent in a response. */
    final Set<String> writeOnly = new HashSet<>();

    /** The shape of undeclared properties, or null when they are not allowed (they are removed). */
    Shape additional;

    /** True when the additional-properties schema is itself {@code writeOnly}. */
    boolean additionalWriteOnly;

    /** The shape of array elements. */
    Shape items = ANY;

    Shape() {}

    /** True when this shape lets everything through unchanged. */
    public boolean isAny() {
        return this == ANY;
    }

    @Override
    public String toString() {
        return this == ANY
                ? "Shape[any]"
                : "Shape[properties=" + properties.keySet() + ", writeOnly=" + writeOnly
                        + ", additional=" + (additional == null ? "no" : additional == ANY ? "any" : "schema")
                        + ", freeObject=" + freeObject + "]";
    }
}
