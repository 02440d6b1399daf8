package dev.glassbox.models;

import dev.glassbox.nn.Module;

/** A model that makes new images (the VAE, the DCGAN): {@code glassbox sample} draws them as a grid. */
public interface ImageSampler {
    /** {@code n} images of side×side values in [0, 1], row by row. */
    record Images(float[] pixels, int n, int side) {}

    /** {@code n} new images from noise drawn with {@code seed}. */
    Images sampleImages(Module model, int n, long seed);
}
