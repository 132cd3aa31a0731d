package io.bulwark.inspect;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * What the {@link Inspector} found in one request.
 *
 * @param findings at most one finding per (category, location), in detection order
 * @param truncated true when part of the request was not inspected (a value longer than {@code maxValueLength}
 *     inspected on a prefix, JSON deeper than {@code maxJsonDepth}, more than {@code maxValues} values): a policy
 *     may treat this as suspicious in itself
 */
public record Report(List<Finding> findings, boolean truncated) {
    public Report {
        findings = List.copyOf(findings);
    }

    /** True when there is at least one finding. */
    public boolean flagged() {
        return !findings.isEmpty();
    }

    /** The categories of the findings. */
    public Set<Category> categories() {
        if (findings.isEmpty()) {
            return Set.of();
        }
        EnumSet<Category> set = EnumSet.noneOf(Category.class);
        for (Finding f : findings) {
            set.add(f.category());
        }
        return Set.copyOf(set);
    }
}
