package dev.glassbox;

import dev.glassbox.io.SafeTensors;
import dev.glassbox.nn.Activations;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Sequential;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The library example of README.md, line for line, so the README cannot drift from the API. */
class ReadmeExampleTest {
    @TempDir
    Path dir;

    @Test
    void readmeExampleRunsAndLearns() throws Exception {
        Generator g = new Generator(42);
        Sequential net = new Sequential(
                new Linear(25, 3, g), new Activations.Sigmoid(),   // 25 pixels -> 3 hidden nodes
                new Linear(3, 3, g), new Activations.Sigmoid(),    //  3 -> 3
                new Linear(3, 10, g));                             //  3 -> 10 logits
        SGD opt = new SGD(net.parameters(), 0.5f);

        Tensor x = Tensor.rand(g, 32, 25);                        // a batch of 32 images
        int[] labels = new int[32];                                // their digits
        Tensor loss = F.crossEntropy(net.forward(x), labels);      // softmax + cross-entropy
        opt.zeroGrad();
        loss.backward();                                           // reverse-mode autograd
        opt.step();
        SafeTensors.save(net.stateDict(), dir.resolve("net.safetensors"));

        float after = F.crossEntropy(net.forward(x), labels).item();
        assertTrue(after < loss.item(), "one SGD step lowers the loss: " + loss.item() + " -> " + after);
        assertEquals(net.stateDict().keySet(), SafeTensors.load(dir.resolve("net.safetensors")).tensors().keySet());
    }
}
