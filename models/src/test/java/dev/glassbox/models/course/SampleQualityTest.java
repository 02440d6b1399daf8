package dev.glassbox.models.course;

import dev.glassbox.models.data.ImageData;
import dev.glassbox.models.train.EventListener;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SampleQualityTest {
    /** FID's formula on cases with known answers: the same set, a shifted set, a scaled set. */
    @Test
    void frechetDistanceHasItsKnownValues() {
        Random r = new Random(3);
        int n = 400, d = 5;
        double[][] x = new double[n][d], shifted = new double[n][d], doubled = new double[n][d];
        double[] shift = {3, -4, 0, 1, 0.5};
        double shiftSq = 0;
        for (double s : shift) shiftSq += s * s;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i][j] = r.nextGaussian() * (j + 1) + (j == 0 ? 0.3 * x[i][0] : 0);
                shifted[i][j] = x[i][j] + shift[j];
                doubled[i][j] = 2 * x[i][j];
            }
        }
        assertEquals(0, SampleQuality.frechet(x, x), 1e-8, "a set from itself");
        assertEquals(shiftSq, SampleQuality.frechet(x, shifted), 1e-8, "|mu1 - mu2|^2 when the covariances agree");
        // 2x: tr(S + 4S - 2*(4 S^2)^(1/2)) = tr(S), plus the means' distance
        double[] m = new double[d];
        for (double[] row : x) for (int j = 0; j < d; j++) m[j] += row[j] / n;
        double traceS = 0, meanSq = 0;
        for (int j = 0; j < d; j++) {
            double v = 0;
            for (double[] row : x) v += (row[j] - m[j]) * (row[j] - m[j]);
            traceS += v / (n - 1);
            meanSq += m[j] * m[j];
        }
        assertEquals(traceS + meanSq, SampleQuality.frechet(x, doubled), 1e-6 * traceS, "a set against itself doubled");
    }

    /** Held-out digits scored as if generated: confident, balanced, close to the real ones; noise is far, whatever it is called. */
    @Test
    void realImagesScoreWellAndNoiseDoesNot() throws IOException {
        var train = ImageData.load("digits", 7, "test").train();
        float[] real = train.inputs().reshape(train.size(), 64).data();
        Map<String, Object> good = SampleQuality.score(k -> java.util.Arrays.copyOf(real, k * 64), 1000, "digits", 8, EventListener.NONE);
        Random r = new Random(1);
        Map<String, Object> noise = SampleQuality.score(k -> {
            float[] v = new float[k * 64];
            for (int i = 0; i < v.length; i++) v[i] = r.nextFloat();
            return v;
        }, 1000, "digits", 8, EventListener.NONE);
        double goodFd = (double) good.get("sample_fd"), noiseFd = (double) noise.get("sample_fd");
        assertTrue((double) good.get("sample_confidence") > 0.9, good.toString());
        assertTrue((double) good.get("sample_class_entropy") > 2.2 && (double) good.get("sample_class_entropy") <= Math.log(10) + 1e-9, good.toString());
        assertTrue(goodFd < noiseFd / 10, "real digits " + good + " against noise " + noise);
    }
}
