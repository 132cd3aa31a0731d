package io.bulwark.policies.openapi;

import com.networknt.schema.Schema;
import java.util.List;
import java.util.Locale;

/**
 * Everything the policy checks for one operation, compiled at load.
 *
 * @param id the operation id
 * @param monitor true when violations are only reported, not rejected
 * @param parameters path-item and operation parameters, merged (operation wins by name and location)
 * @param hasBody whether the operation declares a request body
 * @param bodyRequired whether that body is required
 * @param media the declared media types, most specific first
 */
record OperationRules(
        String id,
        boolean monitor,
        List<Parameter> parameters,
        boolean hasBody,
        boolean bodyRequired,
        List<Media> media) {
    OperationRules {
        parameters = List.copyOf(parameters);
        media = List.copyOf(media);
    }

    /**
     * A declared media type of the request body.
     *
     * @param range the lower-case media range as declared ({@code application/json}, {@code application/*},
     *     {@code *}{@code /*})
     * @param schema the compiled JSON schema when the media type is JSON and declares one, else null
     */
    record Media(String range, Schema schema) {
        boolean matches(String type) {
            if (range.equals("*/*") || range.equals(type)) {
                return true;
            }
            return range.endsWith("/*") && type.startsWith(range.substring(0, range.length() - 1));
        }
    }

    /** The declared media type for a request content type (parameters ignored), or null. */
    Media mediaFor(String contentType) {
        String type = mediaType(contentType);
        if (type == null) {
            return null;
        }
        for (Media m : media) {
            if (m.matches(type)) {
                return m;
            }
        }
        return null;
    }

    /** The lower-case {@code type/subtype} of a header value, or null when it is not one. */
    static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        String t = (semi < 0 ? contentType : contentType.substring(0, semi))
                .strip()
                .toLowerCase(Locale.ROOT);
        int slash = t.indexOf('/');
        return slash <= 0 || slash == t.length() - 1 ? null : t;
    }

    /** {@code application/json} or a {@code +json} type. */
    static boolean isJson(String type) {
        return type != null && (type.equals("application/json") || type.endsWith("+json"));
    }
}
