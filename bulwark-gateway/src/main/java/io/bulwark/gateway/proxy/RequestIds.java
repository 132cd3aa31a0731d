package io.bulwark.gateway.proxy;

import java.util.concurrent.ThreadLocalRandom;

/** Request ids: a client's valid {@code X-Request-Id} is kept, otherwise a random 128-bit hex id is made. */
final class RequestIds {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    static final int MAX_LENGTH = 128;

    private RequestIds() {}

    /** The client's id when it is safe to echo and log (1..128 of [A-Za-z0-9._:-]), else a new one. */
    static String accept(String fromClient) {
        if (fromClient != null && !fromClient.isEmpty() && fromClient.length() <= MAX_LENGTH) {
            boolean ok = true;
            for (int i = 0; i < fromClient.length() && ok; i++) {
                char c = fromClient.charAt(i);
                ok = c >= 'a' && c <= 'z'
                        || c >= 'A' && c <= 'Z'
                        || c >= '0' && c <= '9'
                        || c == '-'
                        || c == '_'
                        || c == '.'
                        || c == ':';
            }
            if (ok) {
                return fromClient;
            }
        }
        return generate();
    }

    /** Not a secret, so a fast non-cryptographic generator is enough; 128 bits keep collisions out of reach. */
    static String generate() {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        long hi = r.nextLong();
        long lo = r.nextLong();
        char[] out = new char[32];
        for (int i = 0; i < 16; i++) {
            out[i] = HEX[(int) (hi >>> (60 - 4 * i)) & 15];
            out[16 + i] = HEX[(int) (lo >>> (60 - 4 * i)) & 15];
        }
        return new String(out);
    }
}
