package dev.glassbox.models.explain;

import java.util.List;

/**
 * One training step of a convolutional network told map by map, after the course's two worked
 * examples. {@code course}: the 5×5 image of a '2' convolved with the 3×3 cross filter
 * (each output cell the sum of the products under the filter) and max pooling of a 4×4 map
 * (each output cell the largest value of its window), computed by the engine's own conv2d and
 * max pooling. Then the model on one image: each stage's output maps, one cell of each
 * convolution worked out (every input channel's patch times its filter slice, summed with the
 * bias), the class probabilities, the loss, and each parameter's update (new = old − lr × gradient).
 *
 * @param input       the image, row by row ({@code inputShape} = [channels, height, width])
 * @param targetClass the right class
 */
public record ConvTrace(String model, CourseExample course, int[] inputShape, float[] input, List<MapStage> stages,
                        float[] probabilities, int targetClass, float loss, float learningRate, List<ParamUpdate> updates)
        implements Explanation {

    /** The course's convolution and pooling examples. */
    public record CourseExample(float[][] image, float[][] filter, int stride, float[][] featureMap, List<Window> convolution,
                                float[][] poolInput, int poolSize, float[][] pooled, List<Window> pooling) {}

    /** One output cell: the input window it sees and its value (sum of products, or maximum). */
    public record Window(int row, int col, float[][] patch, float value) {}

    /**
     * A stage of the forward pass: its name, what it does, its output's shape ([channels,
     * height, width] for maps, [n] for vectors) and all its values; for a convolution, one of
     * its cells worked out.
     */
    public record MapStage(String name, String operation, int[] shape, float[] values, Cell cell) {}

    /**
     * One convolution output cell z[channel][row][col]: for each input channel the patch under
     * the filter and that channel's filter slice, their sum of products; then bias and total.
     */
    public record Cell(int channel, int row, int col, List<float[][]> patches, List<float[][]> filters, float[] channelSums,
                       float bias, float value) {}

    /** A parameter before the step, its gradient, after the step, and the gradient's L2 norm. */
    public record ParamUpdate(String name, int[] shape, float[] before, float[] gradient, float[] after, float gradientNorm) {}
}
