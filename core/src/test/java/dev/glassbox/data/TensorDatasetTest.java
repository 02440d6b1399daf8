package dev.glassbox.data;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.Tensor;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

    /**
     * Byte images give the floats of dividing every byte by 255 once — whole, a batch (below and
     * above the size the threads gather from), the first rows — with their labels.
     */
    @Test
    void byteImagesAreTheirFloatsDividedAtTheBatch() {
        int n = 300, side = 28, row = side * side;
        byte[] pixels = new byte[n * row];
        new java.util.Random(3).nextBytes(pixels);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) labels[i] = (i * 7) % 10;
        float[] want = new float[pixels.length];
        for (int i = 0; i < want.length; i++) want[i] = pixels[i] & 0xff;
        for (int i = 0; i < want.length; i++) want[i] /= 255f;   // as the float data set was made
        TensorDataset floats = TensorDataset.ofLabels(Tensor.wrap(want, n, 1, side, side), labels);
        MemorySegment offHeap = Arena.ofAuto().allocate(pixels.length);
        MemorySegment.copy(pixels, 0, offHeap, ValueLayout.JAVA_BYTE, 0, pixels.length);
        for (TensorDataset bytes : new TensorDataset[] {TensorDataset.ofByteImages(pixels, new int[] {n, 1, side, side}, 255f, labels),
                TensorDataset.ofByteImages(offHeap, new int[] {n, 1, side, side}, 255f, labels)}) {
            assertEquals(n, bytes.size());
            assertArrayEquals(new int[] {n, 1, side, side}, bytes.inputShape());
            for (int count : new int[] {3, 128}) {
                int[] idx = new int[count];
                for (int i = 0; i < count; i++) idx[i] = (i * 37 + 11) % n;
                TensorDataset.Batch a = floats.batch(idx), b = bytes.batch(idx);
                assertArrayEquals(a.inputs().shape(), b.inputs().shape());
                assertArrayEquals(a.inputs().data(), b.inputs().data(), 0f, count + " rows");
                assertArrayEquals(a.labels(), b.labels());
            }
            TensorDataset head = bytes.head(10);
            assertEquals(10, head.size());
            assertArrayEquals(java.util.Arrays.copyOf(want, 10 * row), head.inputs().data(), 0f);
            assertArrayEquals(java.util.Arrays.copyOf(labels, 10), head.labels());
            assertArrayEquals(want, bytes.inputs().data(), 0f);
            assertArrayEquals(new int[] {n, 1, side, side}, bytes.inputs().shape());
        }
        assertThrows(IllegalArgumentException.class, () -> TensorDataset.ofByteImages(new byte[5], new int[] {2, 3}, 255f, new int[2]));
        assertThrows(IllegalArgumentException.class, () -> TensorDataset.ofByteImages(new byte[6], new int[] {2, 3}, 255f, new int[3]));
        assertThrows(IllegalArgumentException.class, () -> TensorDataset.ofByteImages(Arena.ofAuto().allocate(5), new int[] {2, 3}, 255f, new int[2]));
    }
}
