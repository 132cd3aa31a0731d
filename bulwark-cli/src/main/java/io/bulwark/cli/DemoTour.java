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
     * @param direct the status the sample API answered when called directly
     * @param gateway the status Bulwark answered
     * @param gatewayErrorKey the error key of Bulwark's problem document, or null
     */
    record Check(String name, int direct, int gateway, String gatewayErrorKey) {
        boolean closed() {
            return direct >= 200 && direct < 300 && gateway >= 400 && gateway < 500;
        }
    }

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

    /** Runs every check; alice is user 1 (orders 1 and 2), bob is user 2 (order 3), carol the admin. */
    List<Check> run(String aliceToken, String staleEnvironmentToken) throws IOException, InterruptedException {
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
                post(api + "/api/v2/admin/users/" + victim + "/disable", null, "1"),
                post(gateway + "/api/v2/admin/users/" + victim + "/disable", aliceToken, null)));
        out.add(check(
                "alice claims to be bob with X-User-Id: 2",
                get(api + "/api/v2/users/2/accounts", null, "2"),
                get(gateway + "/api/v2/users/2/accounts", aliceToken, "2")));
        out.add(check(
                "a token minted for staging is used here",
                get(api + "/api/v2/orders/1", null, "1"),
                get(gateway + "/api/v2/orders/1", staleEnvironmentToken, null)));
        return out;
    }

    static void print(PrintWriter out, List<Check> checks) {
        out.println("  What Bulwark closes (each attack tried directly against the sample API, then through Bulwark):");
        out.println();
        out.printf("    %-46s %-8s %s%n", "attack", "direct", "through Bulwark");
        for (Check c : checks) {
            out.printf(
                    "    %-46s %-8s %s%s%n",
                    c.name(),
                    c.direct(),
                    c.gateway() + (c.gatewayErrorKey() == null ? "" : " " + c.gatewayErrorKey()),
                    c.closed() ? "" : "   <- NOT closed");
        }
        out.println();
    }

    private Check check(String name, HttpResponse<String> direct, HttpResponse<String> viaGateway) {
        Matcher m = ERROR_KEY.matcher(viaGateway.body());
        return new Check(name, direct.statusCode(), viaGateway.statusCode(), m.find() ? m.group(1) : null);
    }

    private HttpResponse<String> get(String url, String token, String userIdHeader)
            throws IOException, InterruptedException {
        return send(request(url, token, userIdHeader).GET());
    }

    private HttpResponse<String> post(String url, String token, String userIdHeader)
            throws IOException, InterruptedException {
        return send(request(url, token, userIdHeader).POST(HttpRequest.BodyPublishers.noBody()));
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
