package io.bulwark.eval;

import java.util.Set;

/** An engine under evaluation: which attack categories (wire names, {@code sqli}, ...) it sees in a request. */
public interface Classifier {
    /**
     * The categories flagged in this request at this paranoia level (1..4); empty when the request looks benign.
     * Must not throw on odd input: a request it cannot read is a request it did not flag.
     */
    Set<String> classify(EvalRequest r, int paranoia);
}
