package dev.glassbox.bench;

import dev.glassbox.data.MnistFormat;
import dev.glassbox.io.SafeTensors;
import dev.glassbox.models.course.Dcgan;
import dev.glassbox.optim.Adam;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * {@code bench/probe.sh dcgan-replay FILE}: PyTorch's W9 training replayed step by step. FILE
 * comes from {@code bench/peers/w9_torch.py --replay FILE --replay-steps N}: PyTorch's initial
 * networks, the batch indices and z of its first N steps, and its losses. Glassbox's DCGAN starts
 * from those weights and takes the same steps — one D step (real against 1, the detached fakes
 * against 0), one G step through the updated D, each with its Adam (2e-4, β = (0.5, 0.999)), as
 * {@code DcganRecipe}'s training does — and each step's losses are printed beside PyTorch's. If
 * the two trainings are the same computation, they agree to float rounding, which grows slowly.
 */
public final class DcganReplay {
    private DcganReplay() {}

    public static void main(String[] args) throws IOException {
        if (args.length < 1) {
            System.err.println("usage: bench/probe.sh dcgan-replay FILE [OUT] [ours-init] [ours-z] [ours-order] (FILE from bench/peers/w9_torch.py --replay FILE;"
                    + " OUT: the trained networks; ours-*: Glassbox's own initial weights, z or batch order instead of PyTorch's)");
            System.exit(2);
        }
        Map<String, Tensor> t = SafeTensors.load(Path.of(args[0])).tensors();
        Dcgan gan = new Dcgan(28, 100, 128, 64, 64, 128, new Generator(0));
        Map<String, Tensor> init = new LinkedHashMap<>();
        t.forEach((k, v) -> { if (k.startsWith("init.")) init.put(k.substring(5), v); });
        // the two initialisations side by side: the spread of each tensor (a uniform ±b has std b/√3)
        Map<String, ? extends Tensor> mine = gan.stateDict();
        System.out.println("tensor                          std glassbox init   std torch init");
        init.forEach((k, v) -> {
            if (k.endsWith("num_batches_tracked")) return;
            System.out.printf(Locale.ROOT, "%-30s  %16.6f  %15.6f%n", k, std(mine.get(k)), std(v));
        });
        Tensor zOurs = Tensor.randn(new Generator(2), 10000, 100);
        System.out.printf(Locale.ROOT, "z: glassbox mean %.4f std %.4f; torch mean %.4f std %.4f%n",
                mean(zOurs), std(zOurs), mean(t.get("z")), std(t.get("z")));
        // which of PyTorch's inputs to replace by Glassbox's own draws (dcgan-replay FILE OUT ours-init ours-z ours-order)
        java.util.Set<String> ours = java.util.Set.of(args).stream().filter(a -> a.startsWith("ours-")).collect(java.util.stream.Collectors.toSet());
        if (!ours.contains("ours-init")) {
            // ours-init-g / ours-init-d: PyTorch's initial weights but for one network, which keeps Glassbox's own
            Map<String, Tensor> keep = new LinkedHashMap<>();
            String own = ours.contains("ours-init-g") ? "generator." : ours.contains("ours-init-d") ? "discriminator." : null;
            if (own != null) gan.stateDict().forEach((k, v) -> { if (k.startsWith(own)) keep.put(k, Tensor.of(v.data(), v.shape())); });
            Map<String, Tensor> start = new LinkedHashMap<>(init);
            start.putAll(keep);
            gan.loadStateDict(start);
        }
        gan.train();
        MnistFormat.Split data = MnistFormat.load(Workloads.fashionMnist());
        Tensor images = data.train().inputs();                   // [60000, 784] in [0, 1], the file's order
        Tensor index = t.get("index"), z = t.get("z"), size = t.get("size"), dTorch = t.get("d_loss"), gTorch = t.get("g_loss");
        int steps = size.numel(), latent = z.size(1);
        Adam dOpt = new Adam(gan.discriminator.parameters(), 2e-4f).betas(0.5f, 0.999f);
        Adam gOpt = new Adam(gan.generator.parameters(), 2e-4f).betas(0.5f, 0.999f);
        System.out.println("step   d_loss glassbox  d_loss torch  rel diff    g_loss glassbox  g_loss torch  rel diff");
        double worst = 0;
        var order = new dev.glassbox.models.train.LoaderBatches(data.train(), 64, new Generator(1));
        Generator zOwn = new Generator(2);
        for (int s = 0, at = 0; s < steps; s++) {
            int batch = (int) size.data()[s];
            Tensor real;
            if (ours.contains("ours-order")) {
                if (s % order.perEpoch() == 0) order.startEpoch();
                real = order.next().inputs();
            } else {
                int[] rows = new int[batch];
                for (int i = 0; i < batch; i++) rows[i] = (int) index.data()[at + i];
                real = images.indexSelect(0, rows);
            }
            Tensor zs = ours.contains("ours-z") ? Tensor.randn(zOwn, batch, latent)
                    : Tensor.of(java.util.Arrays.copyOfRange(z.data(), at * latent, (at + batch) * latent), batch, latent);
            Tensor fake = gan.generator.forward(zs);
            at += batch;
            Tensor dLoss = Dcgan.discriminatorLoss(gan.discriminate(real), gan.discriminator.forward(fake.detach()));
            dOpt.zeroGrad();
            dLoss.backward();
            dOpt.step();
            Tensor gLoss = Dcgan.against(gan.discriminator.forward(fake), 1f);
            gOpt.zeroGrad();
            gLoss.backward();
            gOpt.step();
            float d = dLoss.item(), g = gLoss.item(), dt = dTorch.data()[s], gt = gTorch.data()[s];
            double rd = Math.abs(d - dt) / Math.abs(dt), rg = Math.abs(g - gt) / Math.abs(gt);
            worst = Math.max(worst, Math.max(rd, rg));
            if (s < 10 || (s + 1) % 10 == 0) {
                System.out.printf(Locale.ROOT, "%4d   %14.6f  %12.6f  %8.2e    %14.6f  %12.6f  %8.2e%n", s + 1, d, dt, rd, g, gt, rg);
            }
        }
        System.out.printf(Locale.ROOT, "largest relative difference over %d steps: %.2e%n", steps, worst);
        if (args.length > 1 && !args[1].startsWith("ours-")) {   // the networks after the replayed training, as a dcgan checkpoint (glassbox eval dcgan --load)
            gan.eval();
            Map<String, String> meta = Map.of("glassbox.model", "dcgan", "glassbox.preset", "mnist", "glassbox.settings",
                    "{\"preset\":\"mnist\",\"data\":\"fashion-mnist\",\"epochs\":5,\"steps\":0,\"lr\":2.0E-4,\"batch\":64,\"seed\":0}");
            SafeTensors.save(gan.stateDict(), meta, Path.of(args[1]));
            System.out.println("saved " + args[1]);
        }
    }

    private static double mean(Tensor t) {
        double m = 0;
        for (float v : t.data()) m += v;
        return m / t.numel();
    }

    private static double std(Tensor t) {
        double m = mean(t), q = 0;
        for (float v : t.data()) q += (v - m) * (v - m);
        return Math.sqrt(q / t.numel());
    }
}
