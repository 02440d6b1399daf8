package dev.glassbox.models.course;

import dev.glassbox.nn.BatchNorm;
import dev.glassbox.nn.Conv2d;
import dev.glassbox.nn.ConvTranspose2d;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

/**
 * The course's DCGAN: a generator G and a discriminator D trained against each other.
 * G: z → project (a fully connected layer, batch norm, ReLU) → reshape to maps → transposed
 * convolution (4×4, stride 2: the maps double) with batch norm and ReLU → transposed convolution
 * to one map → tanh, an image in [−1, 1]. D: convolution (4×4, stride 2) with LeakyReLU 0.2 →
 * convolution with batch norm and LeakyReLU → fully connected → one logit, whose sigmoid is the
 * probability that the image is real. Names: {@code generator.*}, {@code discriminator.*}.
 */
public final class Dcgan extends Module {
    /** The generator: z [N, latent] → images [N, 1, side, side] in [−1, 1]. */
    public static final class Gen extends Module {
        public final Linear fc;
        public final BatchNorm bn0, bn1;
        public final ConvTranspose2d up1, up2;
        final int maps, base;

        Gen(int latent, int maps, int hidden, int base, Generator g) {
            this.maps = maps;
            this.base = base;
            fc = registerModule("fc", new Linear(latent, maps * base * base, g));
            bn0 = registerModule("bn0", BatchNorm.batchNorm1d(maps * base * base));
            up1 = registerModule("up1", new ConvTranspose2d(maps, hidden, 4, 2, 1, g));
            bn1 = registerModule("bn1", BatchNorm.batchNorm2d(hidden));
            up2 = registerModule("up2", new ConvTranspose2d(hidden, 1, 4, 2, 1, g));
        }

        @Override
        public Tensor forward(Tensor z) {
            Tensor h = bn0.forward(fc.forward(z)).relu().reshape(z.size(0), maps, base, base);
            return up2.forward(bn1.forward(up1.forward(h)).relu()).tanh();
        }
    }

    /** The discriminator: images [N, 1, side, side] in [−1, 1] → logits [N, 1]. */
    public static final class Disc extends Module {
        public final Conv2d conv1, conv2;
        public final BatchNorm bn2;
        public final Linear fc;

        Disc(int maps1, int maps2, int base, Generator g) {
            conv1 = registerModule("conv1", new Conv2d(1, maps1, 4, 2, 1, g));
            conv2 = registerModule("conv2", new Conv2d(maps1, maps2, 4, 2, 1, g));
            bn2 = registerModule("bn2", BatchNorm.batchNorm2d(maps2));
            fc = registerModule("fc", new Linear(maps2 * base * base, 1, g));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor h = conv1.forward(x).leakyRelu(0.2f);
            h = bn2.forward(conv2.forward(h)).leakyRelu(0.2f);
            return fc.forward(h.flatten(1, -1));
        }
    }

    public final Gen generator;
    public final Disc discriminator;
    public final int latent, side;

    /**
     * A DCGAN for images of {@code side}×{@code side} (a multiple of 4): G projects z to
     * {@code gMaps} maps of side/4, then {@code gHidden} maps of side/2; D has {@code dMaps1}
     * then {@code dMaps2} maps.
     */
    public Dcgan(int side, int latent, int gMaps, int gHidden, int dMaps1, int dMaps2, Generator g) {
        if (side % 4 != 0 || side < 4 || latent <= 0) throw new IllegalArgumentException("dcgan: the image side must be a multiple of 4 and the latent positive");
        this.latent = latent;
        this.side = side;
        generator = registerModule("generator", new Gen(latent, gMaps, gHidden, side / 4, g));
        discriminator = registerModule("discriminator", new Disc(dMaps1, dMaps2, side / 4, g));
    }

    /** The mean binary cross-entropy of D's logits against one target for all (1: real, 0: generated). */
    public static Tensor against(Tensor logits, float target) { return F.binaryCrossEntropyWithLogits(logits, Tensor.full(target, logits.shape())); }

    /** D's loss: its logits for real images against 1 plus those for generated images against 0. */
    public static Tensor discriminatorLoss(Tensor realLogits, Tensor fakeLogits) { return against(realLogits, 1f).add(against(fakeLogits, 0f)); }

    /** D's logits for images with pixel values in [0, 1] (scaled to G's [−1, 1] here). */
    public Tensor discriminate(Tensor images01) {
        Tensor x = images01.dim() == 2 ? images01.reshape(images01.size(0), 1, side, side) : images01;
        return discriminator.forward(x.mul(2f).sub(1f));
    }

    /** The course's picture of the whole: D's logits of G's image of z (the generator's training path). */
    @Override
    public Tensor forward(Tensor z) { return discriminator.forward(generator.forward(z)); }

    /** {@code n} new images [n, side·side] with pixel values in [0, 1], from z drawn with {@code g}, G in eval mode. */
    public Tensor sample(int n, Generator g) {
        try (var ignored = GradMode.noGrad()) {
            boolean was = generator.isTraining();
            generator.eval();
            Tensor img = generator.forward(Tensor.randn(g, n, latent)).add(1f).mul(0.5f).reshape(n, side * side);
            if (was) generator.train();
            return img;
        }
    }
}
