package io.bulwark.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shows, with real calls, what the gateway changes: each flaw of the sample API is tried directly against the API
 * (where it works) and through Bulwark (where it must not). Runs from the CLI thread, never on an event loop.
 */
final class DemoTour {
    /**
     * One attack, tried twice.
     *
     * @param name what is tried
     * @param direct what the sample API answered when called directly (status, and what leaked)
     * @param gateway what Bulwark answered (status and error key, or what it removed)
     * @param gatewayErrorKey the error key of Bulwark's problem document, or null
     * @param closed true when the attack worked directly and not through Bulwark
     */
    record Check(String name, String direct, String gateway, String gatewayErrorKey, boolean closed) {}

    private static final Pattern ERROR_KEY = Pattern.compile("\"error_key\"\\s*:\\s*\"([A-Z0-9_]+)\"");
    private static final Pattern ID = Pattern.compile("\"id\"\\s*:\\s*(\\d+)");

    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String api;
    private final String gateway;

    DemoTour(String apiBase, String gatewayBase) {
        this.api = apiBase;
        this.gateway = gatewayBase;
    }

    /**
     * Runs every check; alice is user 1 (orders 1 and 2), bob is user 2 (order 3), carol (user 3) the admin.
     *
     * @param carolToken an admin token, for the mass-assignment attempt (creating users needs users:write)
     */
    List<Check> run(String aliceToken, String carolToken, String staleEnvironmentToken)
            throws IOException, InterruptedException {
        List<Check> out = new ArrayList<>();
        out.add(check(
                "anonymous caller lists every order",
                get(api + "/api/v2/orders", null, null),
                get(gateway + "/api/v2/orders", null, null)));
        out.add(check(
                "alice reads bob's order 3 (BOLA)",
                get(api + "/api/v2/orders/3", null, "1"),
                get(gateway + "/api/v2/orders/3", aliceToken, null)));
        out.add(check(
                "alice lists bob's accounts (BOLA)",
                get(api + "/api/v2/users/2/accounts", null, "1"),
                get(gateway + "/api/v2/users/2/accounts", aliceToken, null)));
        // A throwaway user to disable, so the tour leaves the seeded data as it was.
        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(api + "/api/v2/users"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"name\":\"Tour Victim\",\"email\":\"victim" + System.nanoTime() + "@acme.example\"}")));
        Matcher id = ID.matcher(created.body());
        String victim = id.find() ? id.group(1) : "2";
        out.add(check(
                "alice (a customer) disables a user (BFLA)",
                post(api + "/api/v2/admin/users/" + victim + "/disable", null, "1", null),
                post(gateway + "/api/v2/admin/users/" + victim + "/disable", aliceToken, null, null)));
        out.add(check(
                "alice claims to be bob with X-User-Id: 2",
                get(api + "/api/v2/users/2/accounts", null, "2"),
                get(gateway + "/api/v2/users/2/accounts", aliceToken, "2")));
        out.add(check(
                "a token minted for staging is used here",
                get(api + "/api/v2/orders/1", null, "1"),
                get(gateway + "/api/v2/orders/1", staleEnvironmentToken, null)));
        String massAssignment =
                "{\"name\":\"Mallory\",\"email\":\"mallory" + System.nanoTime() + "@acme.example\",\"role\":\"admin\"}";
        out.add(check(
                "a new user makes itself admin (mass assignment)",
                post(api + "/api/v2/users", null, "3", massAssignment),
                post(gateway + "/api/v2/users", carolToken, null, massAssignment)));
        String sqli = "/api/v2/orders?sort=name%27%20UNION%20SELECT%20passwordHash%20FROM%20users--%20";
        out.add(check(
                "SQL injection in a query parameter",
                get(api + sqli, null, "1"),
                get(gateway + sqli, aliceToken, null)));
        HttpResponse<String> directProfile = get(api + "/api/v2/users/1", null, "1");
        HttpResponse<String> gatewayProfile = get(gateway + "/api/v2/users/1", aliceToken, null);
        boolean leaksDirect = directProfile.body().contains("passwordHash");
        boolean leaksThrough = gatewayProfile.body().contains("passwordHash");
        out.add(new Check(
                "alice's profile carries her passwordHash",
                directProfile.statusCode() + (leaksDirect ? " with passwordHash" : ""),
                gatewayProfile.statusCode() + (leaksThrough ? " with passwordHash" : " without it"),
                null,
                leaksDirect && !leaksThrough && gatewayProfile.statusCode() == 200));
        return out;
    }

    static void print(PrintWriter out, List<Check> checks) {
        out.println("  What Bulwark closes (each attack tried directly against the sample API, then through Bulwark):");
        out.println();
        out.printf("    %-48s %-22s %s%n", "attack", "direct", "through Bulwark");
        for (Check c : checks) {
            out.printf(
                    "    %-48s %-22s %s%s%n",
                    c.name(),
                    c.direct(),
                    c.gateway() + (c.gatewayErrorKey() == null ? "" : " " + c.gatewayErrorKey()),
                    c.closed() ? "" : "   <- NOT closed");
        }
        out.println();
    }

    private Check check(String name, HttpResponse<String> direct, HttpResponse<String> viaGateway) {
        Matcher m = ERROR_KEY.matcher(viaGateway.body());
        int d = direct.statusCode();
        int g = viaGateway.statusCode();
        return new Check(
                name,
                Integer.toString(d),
                Integer.toString(g),
                m.find() ? m.group(1) : null,
                d >= 200 && d < 300 && g >= 400 && g < 500);
    }

    private HttpResponse<String> get(String url, String token, String userIdHeader)
            throws IOException, InterruptedException {
        return send(request(url, token, userIdHeader).GET());
    }

    private HttpResponse<String> post(String url, String token, String userIdHeader, String json)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = request(url, token, userIdHeader);
        if (json == null) {
            return send(b.POST(HttpRequest.BodyPublishers.noBody()));
        }
        return send(b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    private static HttpRequest.Builder request(String url, String token, String userIdHeader) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (userIdHeader != null) {
            // The sample API trusts this header, as many services behind a gateway do.
            b.header("X-User-Id", userIdHeader);
        }
        return b;
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
