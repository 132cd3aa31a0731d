package io.bulwark.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouterTest {
    final Router<String> router = Router.<String>builder()
            .add("*", "/", "catch-all")
            .add("*", "/api", "api")
            .add("*", "/api/v2/admin", "admin")
            .add("api.example.com", "/", "exact-root")
            .add("api.example.com", "/orders", "exact-orders")
            .add("*.example.com", "/", "wild")
            .add("*.eu.example.com", "/", "wild-eu")
            .add("*.example.com", "/only-wild", "wild-only")
            .build();

    @Test
    void matches_prefixes_on_whole_segments() {
        assertThat(router.route("other.org", "/api")).isEqualTo("api");
        assertThat(router.route("other.org", "/api/")).isEqualTo("api");
        assertThat(router.route("other.org", "/api/x/y")).isEqualTo("api");
        assertThat(router.route("other.org", "/apix")).isEqualTo("catch-all");
        assertThat(router.route("other.org", "/api/v2/admin/users")).isEqualTo("admin");
        assertThat(router.route("other.org", "/api/v2/adminx")).isEqualTo("api");
        assertThat(router.route("other.org", "/")).isEqualTo("catch-all");
    }

    @Test
    void prefers_exact_host_then_longest_wildcard_then_any() {
        assertThat(router.route("api.example.com", "/orders/1")).isEqualTo("exact-orders");
        assertThat(router.route("api.example.com", "/x")).isEqualTo("exact-root");
        assertThat(router.route("shop.example.com", "/x")).isEqualTo("wild");
        assertThat(router.route("a.eu.example.com", "/x")).isEqualTo("wild-eu");
        assertThat(router.route("example.com", "/x")).isEqualTo("catch-all");
        assertThat(router.route("evilexample.com", "/x")).isEqualTo("catch-all");
    }

    @Test
    void falls_back_to_less_specific_hosts_when_no_prefix_matches() {
        Router<String> r = Router.<String>builder()
                .add("api.example.com", "/orders", "orders")
                .add("*.example.com", "/only-wild", "wild")
                .add("*", "/health", "health")
                .build();
        assertThat(r.route("api.example.com", "/only-wild/x")).isEqualTo("wild");
        assertThat(r.route("api.example.com", "/health")).isEqualTo("health");
        assertThat(r.route("api.example.com", "/nothing")).isNull();
        assertThat(r.route("", "/health")).isEqualTo("health");
    }

    @Test
    void refuses_duplicate_routes() {
        assertThatThrownBy(() -> Router.<String>builder().add("*", "/a", "1").add("*", "/a", "2"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
