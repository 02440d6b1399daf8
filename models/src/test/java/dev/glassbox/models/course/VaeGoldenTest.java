package dev.glassbox.models.course;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The VAE against PyTorch 1.13 (tools/make_vae_golden.py wrote the JSON): the same weights,
 * images and ε give the same μ, log σ², z, X̂, both loss terms and every gradient, within 1e-4.
 */
class VaeGoldenTest {
    private static float[] floats(JsonNode a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) out[i] = (float) a.get(i).asDouble();
        return out;
    }

    private static void close(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-4 * Math.max(1, Math.abs(want[i])), what + " [" + i + "]");
    }

    @Test
    void passAndGradientsMatchPyTorch() throws IOException {
        JsonNode g;
        try (InputStream in = VaeGoldenTest.class.getResourceAsStream("/golden/vae_golden.json")) {
            assertNotNull(in, "vae_golden.json on the test class path");
            g = new ObjectMapper().readTree(in);
        }
        Vae vae = new Vae(6, 5, 3, new Generator(1));
        Map<String, Tensor> state = new HashMap<>();
        g.get("state").properties().forEach(e -> {
            JsonNode shape = e.getValue().get("shape");
            int[] s = new int[shape.size()];
            for (int i = 0; i < s.length; i++) s[i] = shape.get(i).asInt();
            state.put(e.getKey(), Tensor.of(floats(e.getValue().get("values")), s));
        });
        vae.loadStateDict(state);   // PyTorch's names and [out, in] layout load as they are
        Vae.Pass p = vae.pass(Tensor.of(floats(g.get("x")), 2, 6), Tensor.of(floats(g.get("eps")), 2, 3));
        close(floats(g.get("mu")), p.code().mu().toArray(), "mu");
        close(floats(g.get("logvar")), p.code().logvar().toArray(), "logvar");
        close(floats(g.get("z")), p.z().toArray(), "z");
        close(floats(g.get("x_hat")), p.logits().sigmoid().toArray(), "x_hat");
        assertEquals(g.get("recon").asDouble(), p.recon().item(), 1e-4 * g.get("recon").asDouble(), "loss 2");
        assertEquals(g.get("kl").asDouble(), p.kl().item(), 1e-4 * Math.max(1, g.get("kl").asDouble()), "loss 1");
        Tensor loss = p.loss();
        assertEquals(g.get("loss").asDouble(), loss.item(), 1e-4 * g.get("loss").asDouble(), "loss");
        vae.zeroGrad();
        loss.backward();
        vae.namedParameters().forEach((name, param) -> close(floats(g.get("grads").get(name)), param.grad().toArray(), "d loss / d " + name));
    }
}
