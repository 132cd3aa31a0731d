package io.bulwark.inspect;

import java.util.Locale;

/**
 * What kind of attack a finding is. The wire name is the stable, lower-case form used in reports, metrics, config
 * ({@code categories: {sqli: block}}) and, upper-cased with '-' as '_', in error keys ({@code INSPECT_SQLI}).
 */
public enum Category {
    /** SQL injection. */
    SQLI("sqli"),
    /** Cross-site scripting: HTML, attribute and script contexts. */
    XSS("xss"),
    /** OS command injection (remote code execution through a shell). */
    CMDI("cmdi"),
    /** Path traversal and local file inclusion. */
    LFI("lfi"),
    /** Server-side request forgery: URLs to loopback, private, link-local or metadata addresses. */
    SSRF("ssrf"),
    /** NoSQL operator injection ({@code $where}, {@code $ne}, ... as JSON keys). */
    NOSQLI("nosqli"),
    /** XML external entities and entity expansion. */
    XXE("xxe"),
    /** JNDI lookups (Log4Shell), including nested-lookup obfuscation. */
    JNDI("jndi"),
    /** Server-side template injection. */
    SSTI("ssti"),
    /** HTTP protocol attacks: CR/LF in header values, request smuggling, response splitting. */
    PROTOCOL("protocol"),
    /** Prototype pollution keys ({@code __proto__}, {@code constructor.prototype}). */
    PROTOTYPE_POLLUTION("prototype-pollution");

    private final String wireName;

    Category(String wireName) {
        this.wireName = wireName;
    }

    /** The stable lower-case name. */
    public String wireName() {
        return wireName;
    }

    /** The suffix of the error key: {@code SQLI}, {@code PROTOTYPE_POLLUTION}. */
    public String keySuffix() {
        return name();
    }

    /** The category with this wire name (case-insensitive), or null. */
    public static Category fromWireName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        for (Category c : values()) {
            if (c.wireName.equals(n)) {
                return c;
            }
        }
        return null;
    }
}
