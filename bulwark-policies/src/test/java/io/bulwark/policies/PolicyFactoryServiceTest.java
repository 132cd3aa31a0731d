package io.bulwark.policies;

import static org.assertj.core.api.Assertions.assertThat;

import io.bulwark.api.PolicyFactory;
import io.bulwark.policies.auth.apikey.ApiKeyPolicyFactory;
import io.bulwark.policies.auth.introspection.IntrospectionPolicyFactory;
import io.bulwark.policies.auth.jwt.JwtPolicyFactory;
import io.bulwark.policies.auth.mtls.MtlsPolicyFactory;
import io.bulwark.policies.authz.AuthzPolicyFactory;
import io.bulwark.policies.cors.CorsPolicyFactory;
import io.bulwark.policies.headers.HeadersPolicyFactory;
import io.bulwark.policies.identity.ForwardIdentityPolicyFactory;
import io.bulwark.policies.inspect.InspectPolicyFactory;
import io.bulwark.policies.openapi.OpenApiPolicyFactory;
import io.bulwark.policies.requestsize.RequestSizePolicyFactory;
import io.bulwark.policies.stepup.StepUpPolicyFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class PolicyFactoryServiceTest {
    private static final String SERVICE_FILE = "META-INF/services/" + PolicyFactory.class.getName();

    @Test
    void the_service_file_lists_exactly_the_built_in_factories() throws IOException {
        List<URL> files = Collections.list(getClass().getClassLoader().getResources(SERVICE_FILE));
        assertThat(files).hasSize(1);

        List<String> entries;
        try (InputStream in = files.get(0).openStream()) {
            entries = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .lines()
                    .map(line -> line.replaceFirst("#.*", "").strip())
                    .filter(line -> !line.isEmpty())
                    .toList();
        }

        assertThat(entries)
                .containsExactlyInAnyOrder(
                        CorsPolicyFactory.class.getName(),
                        RequestSizePolicyFactory.class.getName(),
                        HeadersPolicyFactory.class.getName(),
                        JwtPolicyFactory.class.getName(),
                        ApiKeyPolicyFactory.class.getName(),
                        ForwardIdentityPolicyFactory.class.getName(),
                        IntrospectionPolicyFactory.class.getName(),
                        AuthzPolicyFactory.class.getName(),
                        StepUpPolicyFactory.class.getName(),
                        MtlsPolicyFactory.class.getName(),
                        OpenApiPolicyFactory.class.getName(),
                        InspectPolicyFactory.class.getName());
    }

    @Test
    void service_loader_finds_each_factory_once_with_distinct_names() {
        List<PolicyFactory> factories = ServiceLoader.load(PolicyFactory.class).stream()
                .map(ServiceLoader.Provider::get)
                .toList();

        assertThat(factories)
                .extracting(f -> f.getClass().getName())
                .containsExactlyInAnyOrder(
                        CorsPolicyFactory.class.getName(),
                        RequestSizePolicyFactory.class.getName(),
                        HeadersPolicyFactory.class.getName(),
                        JwtPolicyFactory.class.getName(),
                        ApiKeyPolicyFactory.class.getName(),
                        ForwardIdentityPolicyFactory.class.getName(),
                        IntrospectionPolicyFactory.class.getName(),
                        AuthzPolicyFactory.class.getName(),
                        StepUpPolicyFactory.class.getName(),
                        MtlsPolicyFactory.class.getName(),
                        OpenApiPolicyFactory.class.getName(),
                        InspectPolicyFactory.class.getName());
        assertThat(factories)
                .extracting(PolicyFactory::name)
                .doesNotHaveDuplicates()
                .containsExactlyInAnyOrder(
                        "cors",
                        "request-size",
                        "headers",
                        "jwt",
                        "api-key",
                        "forward-identity",
                        "introspection",
                        "authz",
                        "step-up",
                        "mtls",
                        "openapi",
                        "inspect")
                .allMatch(name -> name.matches("[a-z]+(-[a-z]+)*"), "lower-case words joined by '-'");
    }
}
