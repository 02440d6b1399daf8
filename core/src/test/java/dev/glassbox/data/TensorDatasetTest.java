package dev.glassbox.data;

import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TensorDatasetTest {
    /** A batch holds the rows, targets and labels picked, in the order picked — below and above the size the threads gather from. */
    @Test
    void aBatchIsTheRowsPickedInOrder() {
        for (int rowSize : new int[] {3, 784}) {
            int n = 300;
            Tensor x = Tensor.randn(new Generator(rowSize), n, rowSize), y = Tensor.randn(new Generator(rowSize + 1), n, 2);
            int[] labels = new int[n];
            for (int i = 0; i < n; i++) labels[i] = i % 10;
            int[] idx = new int[128];
            for (int i = 0; i < idx.length; i++) idx[i] = (i * 37 + 11) % n;
            TensorDataset.Batch labelled = TensorDataset.ofLabels(x, labels).batch(idx);
            TensorDataset.Batch regression = TensorDataset.ofTargets(x, y).batch(idx);
            assertArrayEquals(new int[] {128, rowSize}, labelled.inputs().shape());
            assertEquals(128, labelled.size());
            for (int i = 0; i < idx.length; i++) {
                for (int j = 0; j < rowSize; j++) {
                    assertEquals(x.data()[idx[i] * rowSize + j], labelled.inputs().data()[i * rowSize + j], "row " + i + ", value " + j);
                }
                assertEquals(labels[idx[i]], labelled.labels()[i]);
                assertEquals(y.data()[idx[i] * 2 + 1], regression.targets().data()[i * 2 + 1]);
            }
        }
    }
}
