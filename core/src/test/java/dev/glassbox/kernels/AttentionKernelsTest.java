package dev.glassbox.kernels;

import dev.glassbox.kernels.AttentionKernels.Band;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The attention slice's unpacked products against their scalar twin: sizes around the 4-row
 * tile and the one- and two-vector column tiles (8 and 16 lanes: core's tests run on both
 * species), both layouts of A, every band with A's zeros where the band says, at offsets and
 * leading dimensions wider than the rows.
 */
class AttentionKernelsTest {
    static Stream<Arguments> shapes() {
        List<Arguments> out = new ArrayList<>();
        int[][] mnk = {{1, 1, 1}, {3, 5, 2}, {4, 8, 4}, {4, 16, 7}, {5, 17, 9}, {7, 31, 8}, {8, 32, 16}, {9, 33, 31}, {13, 47, 5},
            {64, 64, 32}, {64, 32, 64}, {63, 65, 33}};
        for (int[] s : mnk) {
            for (Band band : Band.values()) {
                out.add(Arguments.of(s[0], s[1], s[2], false, band));
                out.add(Arguments.of(s[0], s[1], s[2], true, band));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA {3} {4}")
    @MethodSource("shapes")
    void matchesScalarTwin(int m, int n, int k, boolean transA, Band band) {
        Random r = new Random(31L * m + 7L * n + k);
        int aOff = 3, bOff = 2, cOff = 5, lda = (transA ? m : k) + 3, ldb = n + 5, ldc = n + 1;
        float[] a = SgemmTest.rand(r, aOff + (transA ? k : m) * lda), b = SgemmTest.rand(r, bOff + k * ldb);
        // the zeros of A the band promises: A(i, p) = 0 for p > i (K_UPTO_ROW) or p < i (K_FROM_ROW)
        for (int i = 0; i < m; i++) {
            for (int p = 0; p < k; p++) {
                boolean zero = band == Band.K_UPTO_ROW && p > i || band == Band.K_FROM_ROW && p < i;
                if (zero) a[transA ? aOff + p * lda + i : aOff + i * lda + p] = 0f;
            }
        }
        float[] c = new float[cOff + m * ldc + 1], want = c.clone();
        java.util.Arrays.fill(c, 99f);
        java.util.Arrays.fill(want, 99f);
        AttentionKernels.gemm(m, n, k, 0.75f, transA, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, band);
        AttentionKernels.gemmScalar(m, n, k, 0.75f, transA, a, aOff, lda, b, bOff, ldb, want, cOff, ldc, band);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (band == Band.N_UPTO_ROW && j > i) continue;   // not wanted: unspecified
                int at = cOff + i * ldc + j;
                if (Math.abs(c[at] - want[at]) > 1e-5f * Math.max(1f, Math.abs(want[at]))) {
                    fail("C[" + i + ", " + j + "]: fast " + c[at] + ", scalar " + want[at]);
                }
            }
            // nothing outside the row's n columns is written: the gap of ldc and the offset
            assertEquals(99f, c[cOff + i * ldc + n], 0f, "the column past row " + i);
        }
        assertEquals(99f, c[cOff - 1], 0f, "before C");
    }

    @ParameterizedTest(name = "{0}x{1}x{2} transA {3} {4}")
    @MethodSource("shapes")
    void oneElementByHand(int m, int n, int k, boolean transA, Band band) {
        if (band != Band.FULL || m > 9) return;
        // one element by hand, so both sides cannot be wrong together
        float[] a = new float[m * k], b = new float[k * n], c = new float[m * n];
        for (int i = 0; i < a.length; i++) a[i] = (i % 5) - 2;
        for (int i = 0; i < b.length; i++) b[i] = (i % 3) + 0.5f;
        AttentionKernels.gemm(m, n, k, 2f, transA, a, 0, transA ? m : k, b, 0, n, c, 0, n, band);
        int i = m - 1, j = n - 1;
        float s = 0f;
        for (int p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * b[p * n + j];
        assertEquals(2f * s, c[i * n + j], 1e-5f);
    }
}
