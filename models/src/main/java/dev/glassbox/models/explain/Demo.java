package dev.glassbox.models.explain;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

import java.util.List;

/**
 * A worked example of the course that a trace carries before the model's step, computed by the
 * engine's own operations: the convolution of the 5×5 '2' with the 3×3 cross filter, and max
 * pooling of a 4×4 map. In JSON each carries its kind as {@code "type"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({@JsonSubTypes.Type(value = Demo.Convolution.class, name = "convolution"),
        @JsonSubTypes.Type(value = Demo.Pooling.class, name = "pooling"),
        @JsonSubTypes.Type(value = Demo.GradientFlow.class, name = "gradient_flow")})
public sealed interface Demo {
    /**
     * An image convolved with one filter at {@code stride}: every cell of the feature map with
     * the window it sees, the window's products with the filter (cell by cell), and their sum.
     */
    record Convolution(float[][] image, float[][] filter, int stride, List<Cell> cells, float[][] featureMap) implements Demo {}

    /** Max pooling of {@code input} with {@code size}×{@code size} windows at {@code stride}: every window and its maximum. */
    record Pooling(float[][] input, int size, int stride, List<Cell> cells, float[][] pooled) implements Demo {}

    /**
     * How much of a loss's gradient reaches each word of a sentence, through each kind of
     * recurrent cell: the sentence's {@code words}, the loss (of the prediction of {@code target}
     * after the last input word), and per cell the norm ‖dL/dX(t)‖ at each input word X(t)
     * ({@code norms}, t = 1 first) and that norm as a fraction of the last word's
     * ({@code fractions}). Measured by the engine's backward pass on networks of the same size
     * and seed before any training.
     */
    record GradientFlow(List<String> words, String target, List<Flow> flows) implements Demo {}

    /** One cell's gradient per input word: {@code cell} is {@code rnn} or {@code lstm}. */
    record Flow(String cell, int hidden, float[] norms, float[] fractions) {}

    /** One output cell: its row and column (from 0), the window it sees, the products with the filter (none for pooling), its value. */
    record Cell(int row, int col, float[][] window, float[][] products, float value) {}
}
