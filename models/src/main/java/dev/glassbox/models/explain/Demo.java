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
        @JsonSubTypes.Type(value = Demo.Pooling.class, name = "pooling")})
public sealed interface Demo {
    /**
     * An image convolved with one filter at {@code stride}: every cell of the feature map with
     * the window it sees, the window's products with the filter (cell by cell), and their sum.
     */
    record Convolution(float[][] image, float[][] filter, int stride, List<Cell> cells, float[][] featureMap) implements Demo {}

    /** Max pooling of {@code input} with {@code size}×{@code size} windows at {@code stride}: every window and its maximum. */
    record Pooling(float[][] input, int size, int stride, List<Cell> cells, float[][] pooled) implements Demo {}

    /** One output cell: its row and column (from 0), the window it sees, the products with the filter (none for pooling), its value. */
    record Cell(int row, int col, float[][] window, float[][] products, float value) {}
}
