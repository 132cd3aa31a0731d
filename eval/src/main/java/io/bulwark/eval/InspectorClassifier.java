package io.bulwark.eval;

import io.bulwark.inspect.Category;
import io.bulwark.inspect.HttpRequestView;
import io.bulwark.inspect.Inspector;
import io.bulwark.inspect.InspectorConfig;
import io.bulwark.inspect.Report;
import java.util.LinkedHashSet;
import java.util.Set;

/** Bulwark's {@link Inspector} with its default config, one instance per paranoia level. */
public final class InspectorClassifier implements Classifier {
    private final Inspector[] byLevel = new Inspector[5];

    public InspectorClassifier() {
        this(InspectorConfig.defaults());
    }

    public InspectorClassifier(InspectorConfig base) {
        for (int level = 1; level <= 4; level++) {
            byLevel[level] = Inspector.create(base.withParanoia(level));
        }
    }

    @Override
    public Set<String> classify(EvalRequest r, int paranoia) {
        if (paranoia < 1 || paranoia > 4) {
            throw new IllegalArgumentException("paranoia: " + paranoia + " (expected: 1..4)");
        }
        HttpRequestView view = new HttpRequestView(r.method(), r.target(), r.headers(), r.contentType(), r.body());
        Report report = byLevel[paranoia].inspect(view);
        Set<String> out = new LinkedHashSet<>();
        for (Category c : report.categories()) {
            out.add(c.wireName());
        }
        return out;
    }
}
