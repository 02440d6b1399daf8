package dev.glassbox.models.course;

import dev.glassbox.nn.F;
import dev.glassbox.nn.Linear;
import dev.glassbox.nn.Module;
import dev.glassbox.nn.Reduction;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

/**
 * The course's variational autoencoder: the encoder (a dense layer with ReLU) reads X into a
 * latent layer read as μ and log σ² (two dense layers); z = μ + σ·ε with ε ~ N(0, I) (the
 * reparameterisation, so the gradient reaches μ and σ through z); the decoder (a dense layer
 * with ReLU, then one with a sigmoid) gives X̂. Loss 1 is the KL divergence of N(μ, σ²) from
 * N(0, I), −½·Σ(1 + log σ² − μ² − σ²); loss 2 the reconstruction of X itself, binary
 * cross-entropy summed over the pixels; each summed over the batch and divided by its size, as
 * PyTorch's VAE example reports them. After training, z ~ N(0, I) through the decoder alone
 * makes new images.
 */
public final class Vae extends Module {
    public final Linear encoder, mu, logvar, decoderHidden, decoderOut;
    public final int inputs, hidden, latent;

    public Vae(int inputs, int hidden, int latent, Generator g) {
        if (inputs <= 0 || hidden <= 0 || latent <= 0) {
            throw new IllegalArgumentException("vae: sizes must be positive, got " + inputs + "-" + hidden + "-" + latent);
        }
        this.inputs = inputs;
        this.hidden = hidden;
        this.latent = latent;
        encoder = registerModule("encoder", new Linear(inputs, hidden, g));
        mu = registerModule("mu", new Linear(hidden, latent, g));
        logvar = registerModule("logvar", new Linear(hidden, latent, g));
        decoderHidden = registerModule("decoder_hidden", new Linear(latent, hidden, g));
        decoderOut = registerModule("decoder_out", new Linear(hidden, inputs, g));
    }

    /** μ and log σ² of q(z | x) for a batch. */
    public record Code(Tensor mu, Tensor logvar) {}

    /** One pass: the code, the ε drawn, z, the decoder's logits (X̂ = sigmoid of them) and both losses, per sample. */
    public record Pass(Code code, Tensor eps, Tensor z, Tensor logits, Tensor recon, Tensor kl) {
        /** Loss 1 + loss 2, per sample: what training minimises. */
        public Tensor loss() { return recon.add(kl); }
    }

    /** Images of any shape [N, ...] as rows [N, inputs]. */
    public Tensor rows(Tensor x) {
        Tensor r = x.dim() == 2 ? x : x.flatten(1, -1);
        if (r.size(1) != inputs) throw new IllegalArgumentException("vae: inputs of " + r.size(1) + " values, this model takes " + inputs);
        return r;
    }

    /** The encoder: h = relu(X·Wᵀ + b), then μ and log σ² from h. */
    public Code encode(Tensor x) {
        Tensor h = encoder.forward(rows(x)).relu();
        return new Code(mu.forward(h), logvar.forward(h));
    }

    /** The decoder's logits for codes z [N, latent]; {@link #decode} is their sigmoid. */
    public Tensor decodeLogits(Tensor z) { return decoderOut.forward(decoderHidden.forward(z).relu()); }

    /** X̂ = sigmoid(decoder(z)), pixel values in (0, 1). */
    public Tensor decode(Tensor z) { return decodeLogits(z).sigmoid(); }

    /** The whole pass on a batch, ε drawn from {@code g}. */
    public Pass pass(Tensor x, Generator g) { return pass(x, Tensor.randn(g, rows(x).size(0), latent)); }

    /** The whole pass on a batch with the noise given: ε [N, latent]. */
    public Pass pass(Tensor x, Tensor eps) {
        Tensor rows = rows(x);
        if (eps.dim() != 2 || eps.size(0) != rows.size(0) || eps.size(1) != latent) {
            throw new IllegalArgumentException("vae: eps must be [" + rows.size(0) + ", " + latent + "], got " + java.util.Arrays.toString(eps.shape()));
        }
        Code c = encode(rows);
        Tensor z = c.mu().add(c.logvar().mul(0.5f).exp().mul(eps));
        Tensor logits = decodeLogits(z);
        float n = rows.size(0);
        Tensor recon = F.binaryCrossEntropyWithLogits(logits, rows, Reduction.SUM).div(n);
        Tensor kl = c.logvar().add(1f).sub(c.mu().square()).sub(c.logvar().exp()).sum().mul(-0.5f / n);
        return new Pass(c, eps, z, logits, recon, kl);
    }

    /** The reconstruction X̂ of a batch (the mean code, no noise). */
    @Override
    public Tensor forward(Tensor x) { return decode(encode(x).mu()); }

    /** {@code n} new images [n, inputs] from z ~ N(0, I) through the decoder alone. */
    public Tensor sample(int n, Generator g) {
        try (var ignored = GradMode.noGrad()) {
            return decode(Tensor.randn(g, n, latent));
        }
    }
}
