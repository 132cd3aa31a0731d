package io.bulwark.policies.stepup;

import static java.util.Objects.requireNonNull;

import io.bulwark.api.Operation;
import io.bulwark.api.Policy;
import io.bulwark.api.PolicyContext;
import io.bulwark.api.PolicyFactory;
import io.bulwark.api.config.ConfigException;
import io.bulwark.api.config.ConfigNode;
import io.bulwark.api.config.Suggestions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code step-up}: operations flagged {@code x-bulwark-sensitive: true} in the route's OpenAPI document, or listed in
 * config, require a recent authentication ({@code max_age}) and/or an accepted authentication level ({@code
 * acr_values}), answering RFC 9470 challenges otherwise.
 */
public final class StepUpPolicyFactory implements PolicyFactory {
    /** An acr value goes into a quoted, space-separated header parameter. */
    private static final Pattern ACR = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,256}");

    static final Duration MIN_MAX_AGE = Duration.ofSeconds(1);
    static final Duration MAX_MAX_AGE = Duration.ofDays(30);

    private final Clock clock;

    /** For {@link java.util.ServiceLoader}. */
    public StepUpPolicyFactory() {
        this(Clock.systemUTC());
    }

    StepUpPolicyFactory(Clock clock) {
        this.clock = requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "step-up";
    }

    @Override
    public Policy create(ConfigNode config, PolicyContext context) throws ConfigException {
        ConfigNode.Fields f = config.fields();
        Optional<ConfigNode> operationsNode = f.optional("operations");
        Duration maxAge = f.duration("max_age", MIN_MAX_AGE, MAX_MAX_AGE, null);
        Optional<ConfigNode> acrNode = f.optional("acr_values");
        f.finish();

        List<String> acrValues = new ArrayList<>();
        if (acrNode.isPresent()) {
            for (ConfigNode item : acrNode.get().asItems()) {
                String v = item.asString();
                if (!ACR.matcher(v).matches()) {
                    throw item.error("an acr value: printable ASCII without spaces, '\"' or '\\'");
                }
                if (!acrValues.contains(v)) {
                    acrValues.add(v);
                }
            }
            if (acrValues.isEmpty()) {
                throw acrNode.get().error("at least one acr value, such as urn:example:mfa");
            }
        }
        if (maxAge == null && acrValues.isEmpty()) {
            throw config.error("neither max_age nor acr_values", "'max_age' (such as 5m) and/or 'acr_values'");
        }

        List<Operation> operations = context.operations();
        Set<String> sensitive = new LinkedHashSet<>();
        for (Operation op : operations) {
            if (op.flag(StepUpPolicy.SENSITIVE)) {
                sensitive.add(op.id());
            }
        }
        if (operationsNode.isPresent()) {
            Set<String> ids = new LinkedHashSet<>();
            operations.forEach(op -> ids.add(op.id()));
            for (ConfigNode item : operationsNode.get().asItems()) {
                String id = item.asNonBlankString();
                if (ids.isEmpty()) {
                    throw item.error(
                            "operation '" + id + "' on a route without an OpenAPI document",
                            "an 'openapi' document on the route (without one, step-up applies to every request)");
                }
                if (!ids.contains(id)) {
                    List<String> near = Suggestions.near(id, ids, 3);
                    throw item.error(
                            "unknown operation '" + id + "'",
                            "an operationId of the route's OpenAPI document"
                                    + (near.isEmpty() ? "" : "; did you mean '" + String.join("', '", near) + "'?"));
                }
                sensitive.add(id);
            }
        }
        return new StepUpPolicy(new StepUpConfig(sensitive, operations.isEmpty(), maxAge, acrValues), clock);
    }
}
