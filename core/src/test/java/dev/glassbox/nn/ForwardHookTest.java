package dev.glassbox.nn;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Forward hooks see each layer's real input and output, as PyTorch's register_forward_hook. */
class ForwardHookTest {
    @Test
    void hooksSeeTheLayersInputAndOutputUntilRemoved() {
        Linear l1 = new Linear(4, 3, new Generator(1)), l2 = new Linear(3, 2, new Generator(2));
        Sequential net = new Sequential(l1, new Activations.Sigmoid(), l2);
        List<Tensor[]> seen = new ArrayList<>();
        List<Module> who = new ArrayList<>();
        Module.HookHandle h1 = l1.registerForwardHook((m, in, out) -> {
            who.add(m);
            seen.add(new Tensor[] {in, out});
        });
        Module.HookHandle h2 = l2.registerForwardHook((m, in, out) -> {
            who.add(m);
            seen.add(new Tensor[] {in, out});
        });
        Tensor x = Tensor.rand(new Generator(3), 5, 4);
        Tensor y = net.forward(x);
        assertEquals(List.of(l1, l2), who);
        assertSame(x, seen.get(0)[0]);
        assertArrayEquals(l1.forward(x).data(), seen.get(0)[1].data(), 0f);
        assertArrayEquals(seen.get(0)[1].sigmoid().data(), seen.get(1)[0].data(), 0f, "the sigmoid between them");
        assertSame(y, seen.get(1)[1], "the output the network returned");
        h1.close();
        h2.close();
        who.clear();
        net.forward(x);
        assertEquals(List.of(), who, "closed hooks are gone");
    }

    @Test
    void theOtherLayersCallTheirHooksToo() {
        List<String> seen = new ArrayList<>();
        Conv2d conv = new Conv2d(1, 2, 3, 1, 1, new Generator(1));
        conv.registerForwardHook((m, in, out) -> seen.add("conv " + out.size(1)));
        conv.forward(Tensor.rand(new Generator(2), 1, 1, 4, 4));
        Embedding emb = new Embedding(5, 3, new Generator(1));
        emb.registerForwardHook((m, in, out) -> {
            assertNull(in);
            seen.add("embedding " + out.size(1));
        });
        emb.forward(new int[] {1, 2});
        Recurrent rnn = Recurrent.lstm(3, 4, 1, new Generator(1));
        rnn.registerForwardHook((m, in, out) -> seen.add("lstm " + out.size(2)));
        rnn.forward(Tensor.rand(new Generator(2), 2, 1, 3));
        assertEquals(List.of("conv 2", "embedding 3", "lstm 4"), seen);
    }
}
