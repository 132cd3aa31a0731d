package io.bulwark.policies.inspect;

import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.inspect.Category;
import io.bulwark.inspect.Inspector;
import io.bulwark.inspect.InspectorConfig;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code inspect}: injection detection over every value of the request.
 *
 * <pre>{@code
 * - inspect:
 *     paranoia: 2              # 1 (default, fewest false positives) .. 4 (most detection)
 *     mode: block              # block (default) or monitor
 *     categories: {ssti: monitor, nosqli: off}
 *     body: true
 * }</pre>
 */
public final class InspectPolicyFactory implements PolicyFactory {
    private static final List<String> ACTIONS = List.of("block", "monitor", "off");

    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        int paranoia = f.integer("paranoia", 1, 4, 1);
        InspectPolicy.Action mode = action(f.choice("mode", List.of("block", "monitor"), "block"));
        Map<Category, InspectPolicy.Action> actions = new EnumMap<>(Category.class);
        for (Category c : Category.values()) {
            actions.put(c, mode);
        }
        Optional<ConfigNode> categories = f.optional("categories");
        if (categories.isPresent() && !categories.get().isNull()) {
            for (Map.Entry<String, ConfigNode> e : categories.get().asMap().entrySet()) {
                Category c = Category.fromWireName(e.getKey());
                if (c == null) {
                    List<String> names = new ArrayList<>();
                    for (Category k : Category.values()) {
                        names.add(k.wireName());
                    }
                    ConfigNode.scalar(e.getValue().path(), e.getValue().location(), e.getKey(), false)
                            .asChoice(names);
                }
                actions.put(c, action(e.getValue().asChoice(ACTIONS)));
            }
        }
        boolean body = f.bool("body", true);
        int maxValueLength = (int) f.bytes("max_value_length", 16, 1 << 20, InspectorConfig.DEFAULT_MAX_VALUE_LENGTH);
        int maxJsonDepth = f.integer("max_json_depth", 1, 512, 64);
        int maxValues = f.integer("max_values", 1, 1_000_000, 10_000);
        f.finish();
        EnumSet<Category> enabled = EnumSet.noneOf(Category.class);
        actions.forEach((c, a) -> {
            if (a != InspectPolicy.Action.OFF) {
                enabled.add(c);
            }
        });
        if (enabled.isEmpty()) {
            throw config.error("every category off", "at least one category to block or monitor");
        }
        Inspector inspector =
                Inspector.create(new InspectorConfig(paranoia, enabled, maxValueLength, maxJsonDepth, maxValues));
        return new InspectPolicy(inspector, actions, body);
    }

    private static InspectPolicy.Action action(String s) {
        return InspectPolicy.Action.valueOf(s.toUpperCase(java.util.Locale.ROOT));
    }
}
