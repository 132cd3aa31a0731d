package io.bulwark.api;

import java.util.List;
import java.util.Set;

/** HTTP headers with case-insensitive names. Views handed to policies are live: changes reach the wire. */
public interface Headers {
    /** The first value of the header, or {@code null}. */
    String get(String name);

    List<String> getAll(String name);

    boolean contains(String name);

    Set<String> names();

    /** Replaces every value of the header. */
    Headers set(String name, String value);

    Headers add(String name, String value);

    Headers remove(String name);
}
