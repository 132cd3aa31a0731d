package io.bulwark.gateway.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bulwark.api.ErrorKey;
import io.bulwark.api.ErrorKeys;
import io.bulwark.api.config.ConfigError;
import io.bulwark.gateway.Gateway;
import io.bulwark.gateway.config.AdminConfig;
import io.bulwark.gateway.config.GatewayConfig;
import io.bulwark.gateway.config.ListenerConfig;
import io.bulwark.gateway.config.RouteConfig;
import io.bulwark.gateway.config.UpstreamConfig;
import io.bulwark.gateway.http.Problems;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;

/**
 * The admin listener. {@code /health}, {@code /ready} and {@code /metrics} answer without authentication (the
 * listener binds loopback by default); everything under {@code /admin/api/} requires the admin bearer token.
 */
public final class AdminServer {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String API = "/admin/api/";

    private final Vertx vertx;
    private final Gateway gateway;
    private final AdminConfig config;
    private final byte[] tokenDigest;
    private HttpServer server;

    public AdminServer(Vertx vertx, Gateway gateway, AdminConfig config) {
        this.vertx = vertx;
        this.gateway = gateway;
        this.config = config;
        this.tokenDigest = config.token() == null ? null : sha256(config.token());
    }

    public Future<Integer> start() {
        server = vertx.createHttpServer(new HttpServerOptions()
                .setMaxHeaderSize(16 * 1024)
                .setMaxInitialLineLength(4096)
                .setIdleTimeout(60));
        server.requestHandler(this::handle);
        return server.listen(config.port(), config.host()).map(HttpServer::actualPort);
    }

    public int port() {
        return server == null ? -1 : server.actualPort();
    }

    public Future<Void> close() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        switch (path) {
            case "/health" -> {
                if (allow(req, HttpMethod.GET)) {
                    json(req, 200, "{\"status\":\"UP\"}");
                }
            }
            case "/ready" -> {
                if (allow(req, HttpMethod.GET)) {
                    boolean ready = gateway.isReady();
                    json(req, ready ? 200 : 503, ready ? "{\"status\":\"READY\"}" : "{\"status\":\"NOT_READY\"}");
                }
            }
            case "/metrics" -> {
                if (allow(req, HttpMethod.GET)) {
                    req.response()
                            .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
                            .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                            .end(gateway.metrics().scrape());
                }
            }
            default -> {
                if (path.startsWith(API)) {
                    api(req, path.substring(API.length()));
                } else {
                    problem(req, ErrorKeys.ADMIN_NOT_FOUND, null);
                }
            }
        }
    }

    private void api(HttpServerRequest req, String resource) {
        if (!authorized(req)) {
            req.response().putHeader("WWW-Authenticate", "Bearer realm=\"bulwark-admin\"");
            problem(req, ErrorKeys.ADMIN_UNAUTHORIZED, null);
            return;
        }
        switch (resource) {
            case "reload" -> {
                if (allow(req, HttpMethod.POST)) {
                    reload(req);
                }
            }
            case "config" -> {
                if (allow(req, HttpMethod.GET)) {
                    json(req, 200, describe(gateway.config()));
                }
            }
            default -> problem(req, ErrorKeys.ADMIN_NOT_FOUND, null);
        }
    }

    /** Constant-time: comparing fixed-size digests leaks neither the token's content nor its length. */
    private boolean authorized(HttpServerRequest req) {
        if (tokenDigest == null) {
            return false;
        }
        String h = req.getHeader(HttpHeaders.AUTHORIZATION);
        if (h == null || h.length() < 7 || h.length() > 4096 || !h.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        return MessageDigest.isEqual(tokenDigest, sha256(h.substring(7).trim()));
    }

    private void reload(HttpServerRequest req) {
        gateway.reload().onComplete(ar -> {
            if (ar.failed()) {
                problem(req, ErrorKeys.INTERNAL_ERROR, "reload failed");
                return;
            }
            var r = ar.result();
            ObjectNode out = JSON.createObjectNode();
            out.put("result", r.success() ? "reloaded" : "rejected");
            if (!r.success()) {
                out.put("status", ErrorKeys.CONFIG_INVALID.status());
            }
            out.put("routes", r.routes());
            ArrayNode warnings = out.putArray("warnings");
            r.warnings().forEach(warnings::add);
            if (!r.success()) {
                out.put("type", "urn:bulwark:error:" + ErrorKeys.CONFIG_INVALID.key());
                out.put("title", ErrorKeys.CONFIG_INVALID.title());
                out.put("error_key", ErrorKeys.CONFIG_INVALID.key());
                ArrayNode errors = out.putArray("errors");
                for (ConfigError e : r.errors()) {
                    ObjectNode n = errors.addObject();
                    n.put("location", e.location().toString());
                    n.put("key", e.key());
                    n.put("found", e.found());
                    n.put("expected", e.expected());
                    n.put("message", e.message());
                }
            }
            req.response()
                    .setStatusCode(r.success() ? 200 : ErrorKeys.CONFIG_INVALID.status())
                    .putHeader(HttpHeaders.CONTENT_TYPE, r.success() ? "application/json" : Problems.CONTENT_TYPE)
                    .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                    .end(out.toString());
        });
    }

    /** A summary of the running config with nothing secret in it. */
    static String describe(GatewayConfig c) {
        ObjectNode out = JSON.createObjectNode();
        out.put("source", c.source() == null ? null : c.source().toString());
        ArrayNode listeners = out.putArray("listeners");
        for (ListenerConfig l : c.listeners()) {
            ObjectNode n = listeners.addObject();
            n.put("name", l.name());
            n.put("protocol", l.protocol().name().toLowerCase(java.util.Locale.ROOT));
            n.put("host", l.host());
            n.put("port", l.port());
        }
        ObjectNode upstreams = out.putObject("upstreams");
        for (Map.Entry<String, UpstreamConfig> e : c.upstreams().entrySet()) {
            ArrayNode targets = upstreams.putObject(e.getKey()).putArray("targets");
            for (URI t : e.getValue().targets()) {
                targets.add(t.toString());
            }
        }
        ArrayNode routes = out.putArray("routes");
        for (RouteConfig r : c.routes()) {
            ObjectNode n = routes.addObject();
            n.put("id", r.id());
            ArrayNode hosts = n.putArray("hosts");
            r.hosts().forEach(hosts::add);
            n.put("path", r.pathPrefix());
            n.put("upstream", r.upstream());
            n.put("public", r.isPublic());
            ArrayNode policies = n.putArray("policies");
            r.policyNames().forEach(policies::add);
        }
        ArrayNode warnings = out.putArray("warnings");
        c.warnings().forEach(warnings::add);
        return out.toString();
    }

    private static boolean allow(HttpServerRequest req, HttpMethod method) {
        if (req.method() == method || (method == HttpMethod.GET && req.method() == HttpMethod.HEAD)) {
            return true;
        }
        req.response().putHeader(HttpHeaders.ALLOW, method.name());
        problem(req, ErrorKeys.METHOD_NOT_ALLOWED, null);
        return false;
    }

    private static void json(HttpServerRequest req, int status, String body) {
        req.response()
                .setStatusCode(status)
                .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body);
    }

    private static void problem(HttpServerRequest req, ErrorKey key, String detail) {
        Buffer body = Problems.render(key, key.status(), detail, null);
        req.response()
                .setStatusCode(key.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problems.CONTENT_TYPE)
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
                .end(body);
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every JDK", e);
        }
    }
}
