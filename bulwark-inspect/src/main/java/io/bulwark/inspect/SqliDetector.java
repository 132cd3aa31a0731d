package io.bulwark.inspect;

import java.util.function.Consumer;

/** SQL injection: tokenizer and fingerprints (in progress). */
public final class SqliDetector implements Detector {
    public SqliDetector() {}

    @Override
    public Category category() {
        return Category.SQLI;
    }

    @Override
    public void inspect(InspectedValue value, Consumer<Finding> findings) {}
}
