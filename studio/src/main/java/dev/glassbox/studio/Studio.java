package dev.glassbox.studio;

import dev.glassbox.models.Recipe;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.explain.ExplainRequest;
import dev.glassbox.models.explain.Explanation;
import dev.glassbox.models.explain.Messages;
import dev.glassbox.models.train.DivergedException;
import dev.glassbox.models.train.SettingError;
import dev.glassbox.nn.Module;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.MessageDigest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * {@code glassbox studio}: a local web server whose page draws each model the course's way and
 * steps through one training step from the engine's own trace. Everything the page shows comes
 * from the JSON API under {@code /api} — the same objects {@code explain --json} prints and the
 * same events {@code train --log} writes — so the page computes layout, never numbers.
 *
 * <pre>{@code
 * try (Studio s = Studio.start(new Studio.Options("127.0.0.1", 0, null), (trace, lang) -> "")) {
 *     System.out.println(s.url());
 * }
 * }</pre>
 */
public final class Studio implements AutoCloseable {
    /** Where to listen ({@code port} 0: a free one) and the token every request must carry (needed off loopback). */
    public record Options(String host, int port, String token) {
        public Options {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("--port must be 0 to 65535, got " + port);
            if (!loopback(host) && (token == null || token.isBlank())) {
                throw new IllegalArgumentException("--host " + host + " is reachable from other machines: give --token T too, and open the page with ?token=T");
            }
        }
    }

    /** The largest request body the API reads. */
    static final long MAX_BODY = 16 * 1024;

    private final Javalin app;
    private final Options options;
    private final TrainingJobs jobs = new TrainingJobs();
    private final BiFunction<Explanation, String, String> text;
    /** The last traces asked for (a seed or stage per request could otherwise grow it without end): 16, least recently used out. */
    private final Map<String, Explanation> traces = java.util.Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Explanation> eldest) { return size() > 16; }
    });

    private Studio(Options options, BiFunction<Explanation, String, String> text) {
        this.options = options;
        this.text = text;
        this.app = Javalin.create(cfg -> {
            cfg.jetty.host = options.host();
            cfg.jetty.port = options.port();
            cfg.http.maxRequestSize = MAX_BODY;
            cfg.staticFiles.add("/dev/glassbox/studio/web", Location.CLASSPATH);
            cfg.startup.showJavalinBanner = false;
            cfg.jsonMapper(new io.javalin.json.JavalinJackson(Json.MAPPER, false));
            cfg.routes.before(this::checkToken);
            cfg.routes.get("/api/models", ctx -> ctx.json(catalogue()));
            cfg.routes.get("/api/models/{name}/explain", ctx -> ctx.json(trace(ctx)));
            cfg.routes.get("/api/models/{name}/graph", ctx -> ctx.json(((dev.glassbox.models.explain.Trace) trace(ctx)).graph()));
            cfg.routes.get("/api/models/{name}/points", ctx -> {
                Recipe<?> r = recipe(ctx.pathParam("name"));
                String data = ctx.queryParam("data");
                if (data != null && !r.dataNames().contains(data)) {
                    throw new ApiError(HttpStatus.BAD_REQUEST, "data must be one of " + r.dataNames() + ", not " + data);
                }
                Map<String, Object> points = r.points(data, longParam(ctx, "seed", 42));
                if (points == null) throw new ApiError(HttpStatus.NOT_FOUND, r.name() + " has no points to draw (linear and logistic have)");
                ctx.json(points);
            });
            cfg.routes.get("/api/models/{name}/text", ctx -> ctx.contentType("text/plain; charset=utf-8")
                    .result(text.apply(trace(ctx), language(ctx))));
            cfg.routes.post("/api/train", ctx -> ctx.status(HttpStatus.ACCEPTED).json(jobs.start(ctx.bodyAsClass(TrainingJobs.Request.class))));
            cfg.routes.post("/api/train/stop", ctx -> ctx.json(jobs.stop()));
            cfg.routes.get("/api/train", ctx -> ctx.json(jobs.status()));
            cfg.routes.sse("/api/train/events", jobs::stream);
            cfg.routes.get("/api/train/pictures", ctx -> ctx.json(jobs.pictures().keySet().stream()
                    .map(name -> Map.of("name", name, "url", "/api/train/pictures/" + name)).toList()));
            cfg.routes.get("/api/train/pictures/{name}", ctx -> {
                byte[] png = jobs.pictures().get(ctx.pathParam("name"));
                if (png == null) throw new ApiError(HttpStatus.NOT_FOUND, "no picture '" + ctx.pathParam("name") + "' of this model (GET /api/train/pictures lists them)");
                ctx.contentType("image/png").result(png);
            });
            cfg.routes.get("/api/train/samples/{epoch}", ctx -> {
                byte[] png = jobs.samplePng((int) Math.min(Integer.MAX_VALUE, longParam(ctx, "epoch", ctx.pathParam("epoch"))));
                if (png == null) throw new ApiError(HttpStatus.NOT_FOUND, "no sample grid of epoch " + ctx.pathParam("epoch") + " in this job");
                ctx.contentType("image/png").result(png);
            });
            cfg.routes.exception(Exception.class, this::error);
            cfg.routes.error(404, ctx -> {
                if (ctx.path().startsWith("/api/") && ctx.attribute("glassbox.error") == null) {
                    ctx.json(Map.of("error", "no such API path: " + ctx.path() + " (see docs/studio.md)"));
                }
            });
        });
    }

    /** Starts the studio; {@code text} renders a trace as {@code explain} prints it in a language (en, ko). */
    public static Studio start(Options options, BiFunction<Explanation, String, String> text) {
        Studio s = new Studio(options, text);
        try {
            s.app.start();
        } catch (io.javalin.util.JavalinBindException e) {
            throw new IllegalStateException("port " + options.port() + " on " + options.host()
                    + " is in use: give another with --port, or leave --port out for a free one");
        }
        return s;
    }

    /** The page's address (with the token, when there is one). */
    public String url() {
        String host = options.host().contains(":") ? "[" + options.host() + "]" : options.host();
        return "http://" + host + ":" + app.port() + "/" + (options.token() == null ? "" : "?token=" + options.token());
    }

    /** The port listened on. */
    public int port() { return app.port(); }

    /** Stops a running training job and the server. */
    @Override
    public void close() {
        jobs.stop();
        app.stop();
    }

    static boolean loopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--host " + host + ": no such address");
        }
    }

    /**
     * With a token, every request must carry it: the header {@code X-Glassbox-Token}, {@code ?token=}
     * (the printed address), or the cookie the page gets when it is opened with it (so that its
     * script, styles, event stream and images carry it too).
     */
    private void checkToken(Context ctx) {
        if (options.token() == null) return;
        if (matches(ctx.header("X-Glassbox-Token")) || matches(ctx.cookie(COOKIE))) return;
        if (matches(ctx.queryParam("token"))) {
            ctx.header("Set-Cookie", COOKIE + "=" + options.token() + "; Path=/; HttpOnly; SameSite=Strict");
            return;
        }
        throw new ApiError(HttpStatus.UNAUTHORIZED, "this studio needs its token: open the address 'glassbox studio' printed (?token=...)");
    }

    private static final String COOKIE = "glassbox_token";

    private boolean matches(String given) {
        return given != null && MessageDigest.isEqual(options.token().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
    }

    private static List<Map<String, Object>> catalogue() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Recipe<?> r : Recipes.all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("title", r.title());
            m.put("presets", r.presets());
            m.put("data", r.dataNames());
            m.put("metric", r.headlineMetric());
            m.put("defaults", r.settings(null).train());
            Map<String, Object> each = new LinkedHashMap<>();
            for (String p : r.presets()) each.put(p, r.settings(p).train());
            m.put("preset_defaults", each);
            out.add(m);
        }
        return out;
    }

    /**
     * The trace of one explained step: of the model the last training job left ({@code ?trained=true}),
     * else of a fresh one from {@code ?seed} (42); of a model trained in stages, stage {@code ?stage}
     * (the last by default); kept, so that the graph, the trace and its text agree.
     */
    private Explanation trace(Context ctx) throws IOException {
        Recipe<?> r = recipe(ctx.pathParam("name"));
        long seed = longParam(ctx, "seed", 42);
        int stage = (int) Math.max(0, Math.min(100, longParam(ctx, "stage", 0)));
        boolean trained = Boolean.parseBoolean(ctx.queryParam("trained"));
        Module model = null;
        if (trained) {
            model = jobs.trainedModel(r.name());
            if (model == null) throw new ApiError(HttpStatus.CONFLICT, "no trained " + r.name() + " yet: train one first (POST /api/train)");
        }
        String key = r.name() + "/" + seed + "/" + stage + "/" + (trained ? "trained@" + System.identityHashCode(model) : "fresh");
        Module m = model;
        try {
            return traces.computeIfAbsent(key, k -> {
                try {
                    return r.explain(m, new ExplainRequest(List.of(), null, r.explainLr(), seed, stage));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    static Recipe<?> recipe(String name) {
        try {
            return Recipes.get(name);
        } catch (IllegalArgumentException e) {
            throw new ApiError(HttpStatus.NOT_FOUND, e.getMessage());
        }
    }

    private static String language(Context ctx) {
        String lang = ctx.queryParam("lang") == null ? "en" : ctx.queryParam("lang");
        Messages.of(lang);   // a language there is, or the error names them
        return lang;
    }

    private static long longParam(Context ctx, String name, long fallback) {
        String v = ctx.queryParam(name);
        return v == null ? fallback : longParam(ctx, name, v);
    }

    private static long longParam(Context ctx, String name, String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ApiError(HttpStatus.BAD_REQUEST, name + " must be a whole number, got '" + (v.length() > 40 ? v.substring(0, 40) + "…" : v) + "'");
        }
    }

    /** Every failure as {"error": one line}, as the command line would say it. */
    private void error(Exception e, Context ctx) {
        Throwable t = e instanceof UncheckedIOException u ? u.getCause() : e;
        HttpStatus status = t instanceof ApiError a ? a.status
                : t instanceof io.javalin.http.HttpResponseException h ? HttpStatus.forStatus(h.getStatus())
                : t instanceof IllegalArgumentException || t instanceof IOException || t instanceof DivergedException ? HttpStatus.BAD_REQUEST
                : HttpStatus.INTERNAL_SERVER_ERROR;
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        if (t instanceof SettingError bad) msg = bad.setting() + " " + bad.problem();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
                status = HttpStatus.BAD_REQUEST;
                msg = "the request body is not a training request {\"model\": ..., \"preset\": ..., \"epochs\": ...}: "
                        + j.getOriginalMessage().lines().findFirst().orElse("") + " (see docs/studio.md)";
                break;
            }
        }
        ctx.attribute("glassbox.error", msg);
        if (status == HttpStatus.INTERNAL_SERVER_ERROR) t.printStackTrace();
        ctx.status(status).json(Map.of("error", msg));
    }

    /** A refused request: its status and the one line the page shows. */
    static final class ApiError extends RuntimeException {
        final HttpStatus status;

        ApiError(HttpStatus status, String message) {
            super(message);
            this.status = status;
        }
    }
}
