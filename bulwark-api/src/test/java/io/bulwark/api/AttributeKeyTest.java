package io.bulwark.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;

class AttributeKeyTest {

    @Test
    void holds_its_name_and_type() {
        AttributeKey<Long> key = AttributeKey.of("limit", Long.class);

        assertThat(key.name()).isEqualTo("limit");
        assertThat(key.type()).isEqualTo(Long.class);
    }

    @Test
    void requires_a_name_and_a_type() {
        assertThatNullPointerException().isThrownBy(() -> AttributeKey.of(null, String.class));
        assertThatNullPointerException().isThrownBy(() -> AttributeKey.of("name", null));
    }

    @Test
    void keys_are_compared_by_identity_not_by_name() {
        AttributeKey<String> a = AttributeKey.of("consumer-id", String.class);
        AttributeKey<String> b = AttributeKey.of("consumer-id", String.class);

        assertThat(a).isEqualTo(a).isNotEqualTo(b);
        assertThat(Attributes.CONSUMER_ID).isNotEqualTo(a);
    }

    @Test
    void describes_itself_with_name_and_type() {
        assertThat(Attributes.MAX_REQUEST_BODY_BYTES).hasToString("AttributeKey[max-request-body-bytes: Long]");
        assertThat(Attributes.CONSUMER_ID).hasToString("AttributeKey[consumer-id: String]");
    }
}
