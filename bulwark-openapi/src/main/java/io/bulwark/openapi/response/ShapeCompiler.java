package io.bulwark.openapi.response;

import com.fasterxml.jackson.databind.JsonNode;
import io.bulwark.openapi.OpenApiDocument;
import io.bulwark.openapi.OpenApiException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compiles response schemas into {@link Shape}s.
 *
 * <p>A shape stands for a <em>set</em> of schema objects ("atoms"): a schema is flattened by following
 * {@code $ref}, {@code allOf}, {@code oneOf}, {@code anyOf} (and 3.1's {@code then}, {@code else},
 * {@code dependentSchemas}) into the atoms it is made of, and the shape of a property is the shape of the union of
 * the atoms that declare it. Two shapes with the same atom set are the same shape, which is how recursive schemas
 * (a tree node whose children are tree nodes) end in a cycle instead of a loop. Compositions are read as unions on
 * purpose: the filter must keep whatever any alternative declares, or it would break valid responses.
 */
final class ShapeCompiler {
    /** Bounds the compiled graph: a spec that needs more shapes than this is refused at load. */
    static final int MAX_SHAPES = 20_000;

    private static final int MAX_COMPOSITION_DEPTH = 256;
    private static final List<String> UNIONS = List.of("allOf", "oneOf", "anyOf");
    private static final List<String> STRUCTURAL = List.of(
            "properties",
            "additionalProperties",
            "unevaluatedProperties",
            "patternProperties",
            "items",
            "prefixItems",
            "writeOnly");

    private final OpenApiDocument doc;
    private final boolean strict;
    private final IdentityHashMap<JsonNode, Integer> atomIds = new IdentityHashMap<>();
    private final List<JsonNode> atoms = new ArrayList<>();
    private final List<String> atomPointers = new ArrayList<>();
    private final Map<Key, Shape> shapes = new HashMap<>();
    private final ArrayDeque<Pending> work = new ArrayDeque<>();

    ShapeCompiler(OpenApiDocument doc, boolean strict) {
        this.doc = doc;
        this.strict = strict;
    }

    /** The shape of one schema (a media type's {@code schema}); null means no schema, so anything goes. */
    Shape compile(JsonNode schema, String pointer) throws OpenApiException {
        if (schema == null) {
            return Shape.ANY;
        }
        TreeSet<Integer> set = new TreeSet<>();
        flatten(schema, pointer, set, visitedSet(), 0);
        Shape shape = shapeOf(set);
        while (!work.isEmpty()) {
            fill(work.poll());
        }
        return shape;
    }

    int shapeCount() {
        return shapes.size();
    }

    private record Key(int[] atoms) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(atoms, k.atoms);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(atoms);
        }

        @Override
        public String toString() {
            return Arrays.toString(atoms);
        }
    }

    private record Pending(Shape shape, int[] atoms) {}

    private record Located(JsonNode schema, String pointer) {}

    private Shape shapeOf(TreeSet<Integer> set) throws OpenApiException {
        if (set.isEmpty()) {
            return Shape.ANY; // `true`, or a property whose schema is not an object: nothing to filter by
        }
        int[] ids = set.stream().mapToInt(Integer::intValue).toArray();
        Key key = new Key(ids);
        Shape shape = shapes.get(key);
        if (shape == null) {
            if (shapes.size() >= MAX_SHAPES) {
                throw new OpenApiException(doc.source() + ": " + atomPointers.get(ids[0])
                        + ": the response schemas need more than " + MAX_SHAPES + " compiled shapes");
            }
            shape = new Shape();
            shapes.put(key, shape);
            work.add(new Pending(shape, ids));
        }
        return shape;
    }

    private int idOf(JsonNode node, String pointer) {
        Integer id = atomIds.get(node);
        if (id == null) {
            id = atoms.size();
            atomIds.put(node, id);
            atoms.add(node);
            atomPointers.add(pointer);
        }
        return id;
    }

    private static Set<JsonNode> visitedSet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /**
     * Adds to {@code out} the atoms {@code node} is made of. Only schema objects that say something about
     * structure are atoms, so that a bare {@code $ref} and its target give the same set (and the same shape).
     */
    private void flatten(JsonNode node, String pointer, TreeSet<Integer> out, Set<JsonNode> visited, int depth)
            throws OpenApiException {
        if (node == null || !node.isObject()) {
            return; // boolean schemas (3.1) say nothing about structure
        }
        if (depth > MAX_COMPOSITION_DEPTH) {
            throw new OpenApiException(
                    doc.source() + ": " + pointer + ": schema composition nested deeper than " + MAX_COMPOSITION_DEPTH);
        }
        if (!visited.add(node)) {
            return; // already in this union: a cycle through $ref or composition
        }
        for (String keyword : STRUCTURAL) {
            if (node.has(keyword)) {
                out.add(idOf(node, pointer));
                break;
            }
        }
        JsonNode ref = node.get("$ref");
        if (ref != null) {
            // 3.1 keeps the siblings of $ref (they were added above as this atom); 3.0 ignores them, and reading
            // them anyway only keeps more.
            JsonNode target = doc.resolve(node, pointer);
            String targetPointer = ref.isTextual() ? ref.asText().substring(1) : pointer + "/$ref";
            flatten(target, targetPointer, out, visited, depth + 1);
        }
        for (String keyword : UNIONS) {
            JsonNode list = node.get(keyword);
            if (list != null && list.isArray()) {
                for (int i = 0; i < list.size(); i++) {
                    flatten(list.get(i), pointer + "/" + keyword + "/" + i, out, visited, depth + 1);
                }
            }
        }
        flatten(node.get("then"), pointer + "/then", out, visited, depth + 1);
        flatten(node.get("else"), pointer + "/else", out, visited, depth + 1);
        JsonNode dependent = node.get("dependentSchemas");
        if (dependent != null && dependent.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = dependent.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                flatten(e.getValue(), pointer + "/dependentSchemas/" + escape(e.getKey()), out, visited, depth + 1);
            }
        }
    }

    private void fill(Pending pending) throws OpenApiException {
        Shape shape = pending.shape();
        boolean objectSilent = true;
        boolean additionalAny = false;
        List<Located> additionalSchemas = new ArrayList<>();
        Map<String, List<Located>> declared = new LinkedHashMap<>();
        boolean hasItems = false;
        boolean itemsAny = false;
        List<Located> itemSchemas = new ArrayList<>();

        for (int id : pending.atoms()) {
            JsonNode atom = atoms.get(id);
            String pointer = atomPointers.get(id);
            JsonNode props = atom.get("properties");
            boolean hasProps = props != null && props.isObject();
            if (hasProps) {
                objectSilent = false;
                for (Iterator<Map.Entry<String, JsonNode>> it = props.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    declared.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                            .add(new Located(e.getValue(), pointer + "/properties/" + escape(e.getKey())));
                }
            }
            String apKeyword = atom.has("additionalProperties") ? "additionalProperties" : "unevaluatedProperties";
            JsonNode ap = atom.get(apKeyword);
            if (ap != null) {
                objectSilent = false;
                if (ap.isBoolean()) {
                    additionalAny |= ap.booleanValue();
                } else if (ap.isObject()) {
                    if (ap.isEmpty()) {
                        additionalAny = true;
                    } else {
                        additionalSchemas.add(new Located(ap, pointer + "/" + apKeyword));
                    }
                }
            } else if (hasProps && !strict) {
                additionalAny = true;
            }
            if (atom.has("patternProperties")) {
                // Spec patterns are not run against response keys; whatever they could match is kept.
                objectSilent = false;
                additionalAny = true;
            }
            JsonNode items = atom.get("items");
            if (items != null) {
                hasItems = true;
                if (items.isObject()) {
                    itemSchemas.add(new Located(items, pointer + "/items"));
                } else if (items.isArray()) {
                    for (int i = 0; i < items.size(); i++) {
                        itemSchemas.add(new Located(items.get(i), pointer + "/items/" + i));
                    }
                } else {
                    itemsAny |= items.asBoolean(true);
                }
            }
            JsonNode prefix = atom.get("prefixItems");
            if (prefix != null && prefix.isArray()) {
                hasItems = true;
                for (int i = 0; i < prefix.size(); i++) {
                    itemSchemas.add(new Located(prefix.get(i), pointer + "/prefixItems/" + i));
                }
            }
        }

        if (objectSilent) {
            shape.freeObject = true;
        } else {
            for (Map.Entry<String, List<Located>> e : declared.entrySet()) {
                TreeSet<Integer> set = union(e.getValue());
                if (isWriteOnly(set)) {
                    shape.writeOnly.add(e.getKey());
                } else {
                    shape.properties.put(e.getKey(), shapeOf(set));
                }
            }
            if (additionalAny) {
                shape.additional = Shape.ANY;
            } else if (!additionalSchemas.isEmpty()) {
                TreeSet<Integer> set = union(additionalSchemas);
                shape.additionalWriteOnly = isWriteOnly(set);
                shape.additional = shapeOf(set);
            }
        }
        shape.items = !hasItems || itemsAny || itemSchemas.isEmpty() ? Shape.ANY : shapeOf(union(itemSchemas));
    }

    private TreeSet<Integer> union(List<Located> schemas) throws OpenApiException {
        TreeSet<Integer> set = new TreeSet<>();
        Set<JsonNode> visited = visitedSet();
        for (Located l : schemas) {
            flatten(l.schema(), l.pointer(), set, visited, 0);
        }
        return set;
    }

    /**
     * A property is write-only when any schema it is made of says so: a spec that marks a value write-only in one
     * variant is saying that the value is an input that must never be returned.
     */
    private boolean isWriteOnly(TreeSet<Integer> set) {
        for (int id : set) {
            if (atoms.get(id).path("writeOnly").asBoolean(false)) {
                return true;
            }
        }
        return false;
    }

    static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }
}
