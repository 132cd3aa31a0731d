package io.bulwark.openapi;

import static java.util.Objects.requireNonNull;

import io.bulwark.api.Operation;
import io.bulwark.api.OperationMatch;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Finds the operation of a request: a segment trie compiled once from the document's templates. Literal segments
 * win over templated ones ({@code /users/me} before {@code /users/{id}}), as the OpenAPI specification requires.
 * Thread-safe and immutable after construction.
 */
public final class OperationMatcher {
    private final String basePath;
    private final Node root = new Node();

    OperationMatcher(String basePath, List<Operation> operations) {
        requireNonNull(basePath, "basePath");
        String b = basePath;
        while (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        if (!b.isEmpty() && !b.startsWith("/")) {
            throw new IllegalArgumentException("basePath: " + basePath + " (expected: empty or starts with /)");
        }
        this.basePath = b;
        for (Operation op : operations) {
            List<PathTemplate.Segment> segments = PathTemplate.parse(op.pathTemplate())
                    .orElseThrow(() -> new IllegalArgumentException("pathTemplate: " + op.pathTemplate()));
            Node n = root;
            for (PathTemplate.Segment s : segments) {
                n = n.child(s);
            }
            n.methods.put(op.method(), op);
        }
    }

    /** The base path requests are matched below ({@code ""} for the root). */
    public String basePath() {
        return basePath;
    }

    /**
     * The operation for a method and a raw (percent-encoded, normalized) path, or null when none matches. HEAD falls
     * back to GET when the path declares no HEAD operation.
     */
    public OperationMatch match(String method, String rawPath) {
        String rest = belowBase(rawPath);
        if (rest == null) {
            return null;
        }
        Map<String, String> raw = new HashMap<>(4);
        Node n = find(root, segments(rest), 0, raw);
        if (n == null) {
            return null;
        }
        Operation op = n.methods.get(method);
        if (op == null && method.equals("HEAD")) {
            op = n.methods.get("GET");
        }
        if (op == null) {
            return null;
        }
        Map<String, String> decoded = new LinkedHashMap<>(raw.size() * 2);
        for (Map.Entry<String, String> e : raw.entrySet()) {
            String v = decode(e.getValue());
            if (v == null) {
                return null;
            }
            decoded.put(e.getKey(), v);
        }
        return new OperationMatch(op, decoded);
    }

    /** The methods declared for this path (empty when the path matches no template); for 405 answers. */
    public Set<String> methodsFor(String rawPath) {
        String rest = belowBase(rawPath);
        if (rest == null) {
            return Set.of();
        }
        Node n = find(root, segments(rest), 0, new HashMap<>());
        return n == null ? Set.of() : new TreeSet<>(n.methods.keySet());
    }

    private String belowBase(String rawPath) {
        if (basePath.isEmpty()) {
            return rawPath;
        }
        if (!rawPath.startsWith(basePath)) {
            return null;
        }
        if (rawPath.length() == basePath.length()) {
            return "/";
        }
        return rawPath.charAt(basePath.length()) == '/' ? rawPath.substring(basePath.length()) : null;
    }

    private static String[] segments(String path) {
        if (path.equals("/") || path.isEmpty()) {
            return new String[0];
        }
        return path.substring(1).split("/", -1);
    }

    private static Node find(Node n, String[] segs, int i, Map<String, String> params) {
        if (i == segs.length) {
            return n.methods.isEmpty() ? null : n;
        }
        Node lit = n.literals.get(segs[i]);
        if (lit != null) {
            Node found = find(lit, segs, i + 1, params);
            if (found != null) {
                return found;
            }
        }
        for (Templated t : n.templated) {
            Map<String, String> trial = new HashMap<>(params);
            if (t.segment.match(segs[i], trial)) {
                Node found = find(t.node, segs, i + 1, trial);
                if (found != null) {
                    params.putAll(trial);
                    return found;
                }
            }
        }
        return null;
    }

    /** Strict UTF-8 percent-decoding; null for a malformed escape or invalid UTF-8. */
    static String decode(String raw) {
        if (raw.indexOf('%') < 0) {
            return raw;
        }
        ByteBuffer bytes = ByteBuffer.allocate(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    return null;
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes.put((byte) ((hi << 4) | lo));
                i += 2;
            } else if (c < 0x80) {
                bytes.put((byte) c);
            } else {
                return null; // a normalized raw path is ASCII
            }
        }
        bytes.flip();
        try {
            CharBuffer chars = StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private record Templated(PathTemplate.Segment segment, Node node) {}

    private static final class Node {
        final Map<String, Node> literals = new HashMap<>();
        final List<Templated> templated = new ArrayList<>();
        final Map<String, Operation> methods = new HashMap<>();

        Node child(PathTemplate.Segment s) {
            if (s.isLiteral()) {
                return literals.computeIfAbsent(
                        s.literals().isEmpty() ? "" : s.literals().get(0), k -> new Node());
            }
            for (Templated t : templated) {
                if (t.segment.literals().equals(s.literals())
                        && t.segment.startsWithParam() == s.startsWithParam()
                        && t.segment.params().size() == s.params().size()) {
                    if (t.segment.params().equals(s.params())) {
                        return t.node;
                    }
                }
            }
            Node n = new Node();
            templated.add(new Templated(s, n));
            return n;
        }
    }
}
