package dev.glassbox.studio;

import com.fasterxml.jackson.databind.JsonNode;
import dev.glassbox.models.Recipes;
import dev.glassbox.models.course.DnnRecipe;
import dev.glassbox.models.explain.ExplainRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The studio's JSON API over real HTTP: the catalogue, traces equal to explain's, one job at a time, errors as JSON. */
class StudioApiTest {
    static Studio studio;
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeAll
    static void start() {
        studio = Studio.start(new Studio.Options("127.0.0.1", 0, null), (trace, lang) -> lang + ":" + trace.model());
    }

    @AfterAll
    static void stop() { studio.close(); }

    record Reply(int status, String body) {
        JsonNode json() throws IOException { return Json.MAPPER.readTree(body); }
    }

    static Reply get(Studio s, String path, String... headers) throws Exception {
        var b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + s.port() + path)).timeout(Duration.ofSeconds(60));
        if (headers.length > 0) b.headers(headers);
        HttpResponse<String> r = HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    static Reply post(String path, String body) throws Exception {
        var req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + studio.port() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = HTTP.send(req, HttpResponse.BodyHandlers.ofString());
        return new Reply(r.statusCode(), r.body());
    }

    @Test
    void theCatalogueListsEveryModel() throws Exception {
        Reply r = get(studio, "/api/models");
        assertEquals(200, r.status());
        List<String> names = new java.util.ArrayList<>();
        for (JsonNode m : r.json()) names.add(m.get("name").asText());
        assertEquals(Recipes.names(), names);
        assertEquals(0.5, r.json().get(2).get("defaults").get("lr").asDouble(), 1e-6, "dnn's defaults: " + r.json().get(2));
    }

    /** The trace the page draws is explain's trace, value for value, and its graph the trace's graph. */
    @Test
    void theTraceIsExplainsTrace() throws Exception {
        Reply r = get(studio, "/api/models/dnn/explain");
        assertEquals(200, r.status(), r.body());
        var dnn = new DnnRecipe();
        String expected = Json.write(dnn.explain(null, new ExplainRequest(List.of(), null, dnn.explainLr(), 42, 0)));
        assertEquals(Json.MAPPER.readTree(expected), r.json());
        assertEquals(r.json().get("graph"), get(studio, "/api/models/dnn/graph").json());
        Reply text = get(studio, "/api/models/dnn/text?lang=ko");
        assertEquals("ko:dnn", text.body());
        Reply badLang = get(studio, "/api/models/dnn/text?lang=fr");
        assertEquals(400, badLang.status());
        assertTrue(badLang.json().get("error").asText().contains("fr"), badLang.body());
    }

    @Test
    void badRequestsGetOneLineOfJson() throws Exception {
        Reply unknown = get(studio, "/api/models/nope/explain");
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().get("error").asText().startsWith("unknown model 'nope'; available: linear"), unknown.body());
        Reply noPath = get(studio, "/api/nothing");
        assertEquals(404, noPath.status());
        assertEquals("no such API path: /api/nothing (see docs/studio.md)", noPath.json().get("error").asText());
        Reply seed = get(studio, "/api/models/dnn/explain?seed=abc");
        assertEquals("seed must be a whole number, got 'abc'", seed.json().get("error").asText());
        Reply notJson = post("/api/train", "garbage");
        assertEquals(400, notJson.status());
        assertTrue(notJson.json().get("error").asText().startsWith("the request body is not a training request"), notJson.body());
        Reply noModel = post("/api/train", "{}");
        assertEquals("the request needs \"model\" (one of the gallery's names)", noModel.json().get("error").asText());
        Reply epochs = post("/api/train", "{\"model\": \"dnn\", \"epochs\": 0}");
        assertEquals(400, epochs.status());
        assertEquals("epochs must be positive, got 0", epochs.json().get("error").asText());
        Reply traversal = post("/api/train", "{\"model\": \"linear\", \"data\": \"../../etc/passwd\"}");
        assertEquals(400, traversal.status());
        assertTrue(traversal.json().get("error").asText().startsWith("data must be one of [line, line-exact] or a file under"), traversal.body());
        Reply huge = post("/api/train", "{\"model\": \"" + "x".repeat(40_000) + "\"}");
        assertEquals(413, huge.status(), huge.body());
        Reply untrained = get(studio, "/api/models/logistic/explain?trained=true");
        assertEquals(409, untrained.status());
        assertEquals("no trained logistic yet: train one first (POST /api/train)", untrained.json().get("error").asText());
    }

    /** One job at a time: a second start is refused while the first runs; stop ends it. */
    @Test
    void oneTrainingJobAtATime() throws Exception {
        Reply first = post("/api/train", "{\"model\": \"dnn\", \"epochs\": 200000}");
        assertEquals(202, first.status(), first.body());
        Reply second = post("/api/train", "{\"model\": \"linear\"}");
        assertEquals(409, second.status());
        assertEquals("a training job is running (dnn, course); one at a time: stop it first (POST /api/train/stop)", second.json().get("error").asText());
        Reply stopped = post("/api/train/stop", "");
        assertEquals("stopped", stopped.json().get("state").asText(), stopped.body());
        Reply third = post("/api/train", "{\"model\": \"linear\", \"epochs\": 3}");
        assertEquals(202, third.status(), third.body());
        for (int i = 0; i < 200 && !get(studio, "/api/train").json().get("state").asText().equals("finished"); i++) Thread.sleep(50);
        Reply done = get(studio, "/api/train");
        assertEquals("finished", done.json().get("state").asText(), done.body());
        assertEquals(3, done.json().get("metrics").get("epochs").asInt());
        assertEquals(200, get(studio, "/api/models/linear/explain?trained=true").status());
    }

    /** A model that makes images draws a grid of fixed noise at each epoch's end, served as a PNG. */
    @Test
    void anImageModelSendsAGridEachEpoch() throws Exception {
        Reply start = post("/api/train", "{\"model\": \"dcgan\", \"epochs\": 2}");
        assertEquals(202, start.status(), start.body());
        for (int i = 0; i < 600 && get(studio, "/api/train").json().get("state").asText().equals("running"); i++) Thread.sleep(50);
        assertEquals("finished", get(studio, "/api/train").json().get("state").asText());
        for (int epoch = 1; epoch <= 2; epoch++) {
            var png = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + studio.port() + "/api/train/samples/" + epoch)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, png.statusCode());
            assertEquals("image/png", png.headers().firstValue("content-type").orElse(""));
            assertEquals((byte) 0x89, png.body()[0]);
            assertEquals('P', png.body()[1]);
            var image = javax.imageio.ImageIO.read(new java.io.ByteArrayInputStream(png.body()));
            assertTrue(image.getWidth() > 100, "a grid of 64 images: " + image.getWidth());
        }
        assertEquals("[]", get(studio, "/api/train/pictures").body(), "a DCGAN has no pictures beyond its grids");
        Reply none = get(studio, "/api/train/samples/3");
        assertEquals(404, none.status());
        assertEquals("no sample grid of epoch 3 in this job", none.json().get("error").asText());
    }

    /** A port in use is one line saying what to do. */
    @Test
    void aPortInUseIsSaidPlainly() {
        var e = assertThrows(IllegalStateException.class, () -> Studio.start(new Studio.Options("127.0.0.1", studio.port(), null), (t, l) -> ""));
        assertEquals("port " + studio.port() + " on 127.0.0.1 is in use: give another with --port, or leave --port out for a free one", e.getMessage());
    }

    /** Off loopback a token is required; with one, every API request must carry it. */
    @Test
    void aTokenGuardsTheApi() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> new Studio.Options("0.0.0.0", 0, null));
        assertEquals("--host 0.0.0.0 is reachable from other machines: give --token T too, and open the page with ?token=T", e.getMessage());
        try (Studio guarded = Studio.start(new Studio.Options("127.0.0.1", 0, "s3cret"), (t, l) -> "")) {
            assertTrue(guarded.url().endsWith("/?token=s3cret"), guarded.url());
            Reply none = get(guarded, "/api/models");
            assertEquals(401, none.status());
            assertTrue(none.json().get("error").asText().startsWith("this studio needs its token"), none.body());
            assertEquals(200, get(guarded, "/api/models?token=s3cret").status());
            assertEquals(200, get(guarded, "/api/models", "X-Glassbox-Token", "s3cret").status());
            assertEquals(401, get(guarded, "/api/models", "X-Glassbox-Token", "wrong").status());
            assertEquals(401, get(guarded, "/").status(), "the page itself needs it");
            assertEquals(401, get(guarded, "/studio.js").status());
            var page = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + guarded.port() + "/?token=s3cret")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, page.statusCode());
            String cookie = page.headers().firstValue("set-cookie").orElseThrow().split(";")[0];
            assertEquals(200, get(guarded, "/studio.js", "Cookie", cookie).status(), "the page's own requests carry the cookie it was given");
            assertEquals(401, get(guarded, "/studio.js", "Cookie", "glassbox_token=nope").status());
        }
    }
}
