package io.bulwark.bench;

import io.bulwark.api.Headers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A small case-insensitive header list for benchmarks: parallel arrays scanned linearly, like the flat header
 * lists of HTTP codecs. Good enough for the dozen headers of a request; not thread-safe, like an exchange.
 */
final class BenchHeaders implements Headers {
    private String[] names = new String[16];
    private String[] values = new String[16];
    private int size;

    @Override
    public String get(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return values[i];
            }
        }
        return null;
    }

    @Override
    public List<String> getAll(String name) {
        List<String> out = null;
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                if (out == null) {
                    out = new ArrayList<>(2);
                }
                out.add(values[i]);
            }
        }
        return out == null ? List.of() : out;
    }

    @Override
    public boolean contains(String name) {
        for (int i = 0; i < size; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Set<String> names() {
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < size; i++) {
            out.add(names[i]);
        }
        return out;
    }

    @Override
    public Headers set(String name, String value) {
        remove(name);
        return add(name, value);
    }

    @Override
    public Headers add(String name, String value) {
        if (size == names.length) {
            names = Arrays.copyOf(names, size * 2);
            values = Arrays.copyOf(values, size * 2);
        }
        names[size] = name;
        values[size] = value;
        size++;
        return this;
    }

    @Override
    public Headers remove(String name) {
        int w = 0;
        for (int r = 0; r < size; r++) {
            if (!names[r].equalsIgnoreCase(name)) {
                names[w] = names[r];
                values[w] = values[r];
                w++;
            }
        }
        for (int i = w; i < size; i++) {
            names[i] = null;
            values[i] = null;
        }
        size = w;
        return this;
    }

    /** Drops every header, keeping the arrays: lets a benchmark reuse one exchange without allocating. */
    void clear() {
        Arrays.fill(names, 0, size, null);
        Arrays.fill(values, 0, size, null);
        size = 0;
    }

    int size() {
        return size;
    }
}
