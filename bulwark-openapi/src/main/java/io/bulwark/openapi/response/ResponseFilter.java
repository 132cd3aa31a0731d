package io.bulwark.openapi.response;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Removes from a JSON response body every property its {@link Shape} does not let through: undeclared properties
 * where additional properties are not allowed, and {@code writeOnly} properties, at any depth (arrays element by
 * element). One streaming pass: tokens are copied from a parser to a generator, removed values are skipped, so the
 * work is linear in the body size and what remains keeps its field order and its numbers as written.
 */
public final class ResponseFilter {
    private static volatile Factory cached = new Factory(FilterLimits.DEFAULTS, factory(FilterLimits.DEFAULTS));

    private ResponseFilter() {}

    private record Factory(FilterLimits limits, JsonFactory factory) {}

    private static JsonFactory factory(FilterLimits limits) {
        return JsonFactory.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(limits.maxDepth())
                        .maxDocumentLength(limits.maxBytes())
                        .build())
                .build();
    }

    private static JsonFactory factoryFor(FilterLimits limits) {
        Factory f = cached;
        if (!f.limits().equals(limits)) {
            // A route uses one set of limits; keep the last one rather than building a factory per body.
            f = new Factory(limits, factory(limits));
            cached = f;
        }
        return f.factory();
    }

    /**
     * Filters one JSON body.
     *
     * @return the filtered body and what was removed, or a refusal when the body is not one well-formed JSON value
     *     within the limits, or holds a duplicate key
     */
    public static FilterResult filter(Shape shape, byte[] json, FilterLimits limits) {
        requireNonNull(shape, "shape");
        requireNonNull(json, "json");
        requireNonNull(limits, "limits");
        if (json.length > limits.maxBytes()) {
            return FilterResult.refused(
                    FilterResult.Problem.TOO_LARGE, json.length + " bytes (expected: <= " + limits.maxBytes() + ")");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length);
        JsonFactory factory = factoryFor(limits);
        try (JsonParser parser = factory.createParser(json);
                JsonGenerator generator = factory.createGenerator(out, JsonEncoding.UTF8)) {
            Pass pass = new Pass(parser, generator, limits.maxDepth());
            JsonToken first = parser.nextToken();
            if (first == null) {
                return FilterResult.refused(FilterResult.Problem.MALFORMED, "empty body");
            }
            pass.value(first, shape, 0);
            if (parser.nextToken() != null) {
                return FilterResult.refused(
                        FilterResult.Problem.MALFORMED,
                        "trailing content at byte "
                                + parser.currentTokenLocation().getByteOffset());
            }
            if (pass.removedCount == 0) {
                return FilterResult.filtered(json, List.of(), 0);
            }
            generator.flush();
            return FilterResult.filtered(out.toByteArray(), pass.removed, pass.removedCount);
        } catch (StreamConstraintsException e) {
            String message = String.valueOf(e.getOriginalMessage());
            if (message.contains("nesting depth")) {
                return FilterResult.refused(FilterResult.Problem.TOO_DEEP, "nested deeper than " + limits.maxDepth());
            }
            return FilterResult.refused(FilterResult.Problem.VALUE_TOO_LONG, "a value exceeds a parser limit");
        } catch (JsonProcessingException e) {
            long offset = e.getLocation() == null ? -1 : e.getLocation().getByteOffset();
            String at = offset < 0 ? "" : " at byte " + offset;
            // Jackson's own message quotes the key; ours never repeats body content.
            if (String.valueOf(e.getOriginalMessage()).startsWith("Duplicate ")) {
                return FilterResult.refused(FilterResult.Problem.DUPLICATE_KEY, "duplicate key" + at);
            }
            return FilterResult.refused(FilterResult.Problem.MALFORMED, "malformed JSON" + at);
        } catch (IOException e) {
            throw new UncheckedIOException("in-memory JSON copy failed", e); // cannot happen on byte arrays
        }
    }

    /** One filtering pass: the parser, the generator and the path to the current value. */
    private static final class Pass {
        private final JsonParser parser;
        private final JsonGenerator generator;
        private final String[] names;
        private final int[] indices;
        final List<String> removed = new ArrayList<>();
        int removedCount;

        Pass(JsonParser parser, JsonGenerator generator, int maxDepth) {
            this.parser = parser;
            this.generator = generator;
            this.names = new String[maxDepth + 2];
            this.indices = new int[maxDepth + 2];
        }

        /** Copies the value starting at {@code token}; {@code depth} is the number of enclosing containers. */
        void value(JsonToken token, Shape shape, int depth) throws IOException {
            switch (token) {
                case START_OBJECT -> object(shape, depth);
                case START_ARRAY -> array(shape, depth);
                case VALUE_STRING ->
                    generator.writeString(parser.getTextCharacters(), parser.getTextOffset(), parser.getTextLength());
                // The number's text is copied as written: 1.10 stays 1.10, 1e3 stays 1e3.
                case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> generator.writeNumber(parser.getText());
                case VALUE_TRUE -> generator.writeBoolean(true);
                case VALUE_FALSE -> generator.writeBoolean(false);
                case VALUE_NULL -> generator.writeNull();
                default -> throw new IllegalStateException("unexpected token " + token);
            }
        }

        private void object(Shape shape, int depth) throws IOException {
            generator.writeStartObject();
            JsonToken token;
            while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
                String name = parser.currentName();
                JsonToken next = parser.nextToken();
                Shape child = child(shape, name);
                names[depth] = name;
                if (child == null) {
                    remove(depth);
                    parser.skipChildren();
                    continue;
                }
                generator.writeFieldName(name);
                value(next, child, depth + 1);
            }
            if (token != JsonToken.END_OBJECT) {
                throw new IllegalStateException("unexpected token " + token);
            }
            generator.writeEndObject();
        }

        private void array(Shape shape, int depth) throws IOException {
            generator.writeStartArray();
            Shape items = shape.items;
            names[depth] = null;
            int index = 0;
            JsonToken token;
            while ((token = parser.nextToken()) != JsonToken.END_ARRAY) {
                indices[depth] = index++;
                value(token, items, depth + 1);
            }
            generator.writeEndArray();
        }

        /** The shape of a property's value, or null when the property must be removed. */
        private static Shape child(Shape shape, String name) {
            if (shape.freeObject) {
                return Shape.ANY;
            }
            Shape declared = shape.properties.get(name);
            if (declared != null) {
                return declared;
            }
            if (shape.additional == null || shape.additionalWriteOnly || shape.writeOnly.contains(name)) {
                return null;
            }
            return shape.additional;
        }

        private void remove(int depth) {
            if (removedCount++ < FilterResult.MAX_LISTED) {
                StringBuilder pointer = new StringBuilder();
                for (int i = 0; i <= depth; i++) {
                    pointer.append('/');
                    if (names[i] == null) {
                        pointer.append(indices[i]);
                    } else {
                        pointer.append(ShapeCompiler.escape(names[i]));
                    }
                }
                removed.add(pointer.toString());
            }
        }
    }
}
