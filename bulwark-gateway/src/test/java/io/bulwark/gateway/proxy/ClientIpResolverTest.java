package io.bulwark.gateway.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClientIpResolverTest {
    final ClientIpResolver none = new ClientIpResolver(List.of());
    final ClientIpResolver trusted = new ClientIpResolver(List.of("10.0.0.0/8", "fd00::/8", "192.0.2.1"));

    @Test
    void ignores_forwarding_headers_from_untrusted_peers() {
        assertThat(none.resolve("198.51.100.7", List.of("1.2.3.4"), List.of())).isEqualTo("198.51.100.7");
        assertThat(trusted.resolve("198.51.100.7", List.of("1.2.3.4"), List.of("for=5.6.7.8")))
                .isEqualTo("198.51.100.7");
    }

    @Test
    void takes_the_right_most_untrusted_address_behind_trusted_proxies() {
        assertThat(trusted.resolve("10.0.0.1", List.of("6.6.6.6, 203.0.113.9, 10.1.1.1"), List.of()))
                .isEqualTo("203.0.113.9");
        assertThat(trusted.resolve("10.0.0.1", List.of("6.6.6.6", "203.0.113.9"), List.of()))
                .isEqualTo("203.0.113.9");
        assertThat(trusted.resolve("192.0.2.1", List.of("10.2.2.2, 10.3.3.3"), List.of()))
                .isEqualTo("10.2.2.2");
        assertThat(trusted.resolve("10.0.0.1", List.of(), List.of())).isEqualTo("10.0.0.1");
    }

    @Test
    void reads_rfc_7239_forwarded_when_there_is_no_x_forwarded_for() {
        assertThat(trusted.resolve(
                        "10.0.0.1", List.of(), List.of("for=198.51.100.1;proto=https, for=\"[2001:db8::1]:4711\"")))
                .isEqualTo("2001:db8::1");
        assertThat(trusted.resolve("10.0.0.1", List.of(), List.of("for=203.0.113.5:8080")))
                .isEqualTo("203.0.113.5");
    }

    @Test
    void stops_at_garbage_and_never_returns_it() {
        assertThat(trusted.resolve("10.0.0.1", List.of("1.2.3.4, <script>, 10.9.9.9"), List.of()))
                .isEqualTo("10.9.9.9");
        assertThat(trusted.resolve("10.0.0.1", List.of("not-an-ip"), List.of())).isEqualTo("10.0.0.1");
        assertThat(trusted.resolve("10.0.0.1", List.of("10.0.0.0/8"), List.of()))
                .isEqualTo("10.0.0.1");
        String many = String.join(",", java.util.Collections.nCopies(10_000, "10.0.0.2"));
        // More hops than anyone deploys is treated as garbage: the peer is all we can vouch for.
        assertThat(trusted.resolve("10.0.0.1", List.of(many), List.of())).isEqualTo("10.0.0.1");
    }

    @Test
    void matches_ipv6_and_ipv4_mapped_peers() {
        assertThat(trusted.isTrusted("fd12::1")).isTrue();
        assertThat(trusted.isTrusted("::ffff:10.1.2.3")).isTrue();
        assertThat(trusted.isTrusted("2001:db8::1")).isFalse();
        assertThat(trusted.isTrusted("garbage")).isFalse();
    }
}
