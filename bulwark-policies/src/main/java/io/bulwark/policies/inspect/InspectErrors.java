package io.bulwark.policies.inspect;

import io.bulwark.api.ErrorKey;
import io.bulwark.inspect.Category;
import java.util.EnumMap;
import java.util.Map;

/** The error keys of the {@code inspect} policy: one per category, {@code INSPECT_<CATEGORY>}, all 403. */
public final class InspectErrors {
    public static final ErrorKey INSPECT_SQLI = new ErrorKey("INSPECT_SQLI", 403, "SQL injection detected");
    public static final ErrorKey INSPECT_XSS = new ErrorKey("INSPECT_XSS", 403, "Cross-site scripting detected");
    public static final ErrorKey INSPECT_CMDI = new ErrorKey("INSPECT_CMDI", 403, "Command injection detected");
    public static final ErrorKey INSPECT_LFI =
            new ErrorKey("INSPECT_LFI", 403, "Path traversal or file inclusion detected");
    public static final ErrorKey INSPECT_SSRF =
            new ErrorKey("INSPECT_SSRF", 403, "Server-side request forgery detected");
    public static final ErrorKey INSPECT_NOSQLI =
            new ErrorKey("INSPECT_NOSQLI", 403, "NoSQL operator injection detected");
    public static final ErrorKey INSPECT_XXE = new ErrorKey("INSPECT_XXE", 403, "XML external entity detected");
    public static final ErrorKey INSPECT_JNDI = new ErrorKey("INSPECT_JNDI", 403, "JNDI lookup injection detected");
    public static final ErrorKey INSPECT_SSTI =
            new ErrorKey("INSPECT_SSTI", 403, "Server-side template injection detected");
    public static final ErrorKey INSPECT_PROTOCOL =
            new ErrorKey("INSPECT_PROTOCOL", 403, "HTTP protocol attack detected");
    public static final ErrorKey INSPECT_PROTOTYPE_POLLUTION =
            new ErrorKey("INSPECT_PROTOTYPE_POLLUTION", 403, "Prototype pollution detected");

    private static final Map<Category, ErrorKey> BY_CATEGORY = new EnumMap<>(Map.ofEntries(
            Map.entry(Category.SQLI, INSPECT_SQLI),
            Map.entry(Category.XSS, INSPECT_XSS),
            Map.entry(Category.CMDI, INSPECT_CMDI),
            Map.entry(Category.LFI, INSPECT_LFI),
            Map.entry(Category.SSRF, INSPECT_SSRF),
            Map.entry(Category.NOSQLI, INSPECT_NOSQLI),
            Map.entry(Category.XXE, INSPECT_XXE),
            Map.entry(Category.JNDI, INSPECT_JNDI),
            Map.entry(Category.SSTI, INSPECT_SSTI),
            Map.entry(Category.PROTOCOL, INSPECT_PROTOCOL),
            Map.entry(Category.PROTOTYPE_POLLUTION, INSPECT_PROTOTYPE_POLLUTION)));

    private InspectErrors() {}

    /** The key of a category; every category has one. */
    public static ErrorKey of(Category c) {
        ErrorKey k = BY_CATEGORY.get(c);
        if (k == null) {
            throw new IllegalStateException("no error key for category " + c);
        }
        return k;
    }
}
