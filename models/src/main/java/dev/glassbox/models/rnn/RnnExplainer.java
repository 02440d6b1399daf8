package dev.glassbox.models.rnn;

import dev.glassbox.models.explain.RnnTrace;
import dev.glassbox.nn.F;
import dev.glassbox.nn.Parameter;
import dev.glassbox.nn.Recurrent;
import dev.glassbox.nn.Reduction;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** One real SGD step of {@link CourseRnn} on one sentence, recorded step by step. */
final class RnnExplainer {
    private RnnExplainer() {}

    static RnnTrace explain(CourseRnn m, String sentence, float lr) {
        int[] ids = m.ids(sentence);
        if (ids.length < 2) throw new IllegalArgumentException("explain rnn: a sentence of at least two words, got '" + sentence + "'");
        int steps = ids.length - 1, v = m.vocabSize(), h = CourseRnn.HIDDEN;
        int[] inputs = Arrays.copyOf(ids, steps), targets = Arrays.copyOfRange(ids, 1, ids.length);
        Parameter wih = m.rnn.namedParameters().get("weight_ih_l0"), whh = m.rnn.namedParameters().get("weight_hh_l0");
        Parameter who = m.output.weight;
        float[][] wihBefore = courseOrientation(wih), whhBefore = courseOrientation(whh), whoBefore = courseOrientation(who);

        m.train();
        Recurrent.Output o = m.rnn.run(m.oneHot(new int[][] {inputs}));   // S(t): [T, 1, H]
        Tensor scores = m.output.forward(o.output()).reshape(steps, v);     // S(t)·W_ho
        Tensor loss = F.crossEntropy(scores, targets, Reduction.SUM);         // the steps' losses added up
        float[] probs;
        try (var ignored = GradMode.noGrad()) {
            probs = scores.softmax(-1).toArray();
        }
        float[] states = o.output().toArray();
        m.zeroGrad();
        loss.backward();
        float[][] gih = courseOrientation(wih.grad()), ghh = courseOrientation(whh.grad()), gho = courseOrientation(who.grad());
        new SGD(m.parameters(), lr).step();
        m.eval();

        List<RnnTrace.Step> out = new ArrayList<>();
        float[] prev = new float[h];
        for (int t = 0; t < steps; t++) {
            float[] oneHot = new float[v];
            oneHot[inputs[t]] = 1f;
            float[] inputTerm = wihBefore[inputs[t]].clone();               // X(t)·W_ih: the input word's row
            float[] recurrent = new float[h];                               // S(t−1)·W_hh
            for (int j = 0; j < h; j++) for (int i = 0; i < h; i++) recurrent[j] += prev[i] * whhBefore[i][j];
            float[] state = Arrays.copyOfRange(states, t * h, (t + 1) * h);
            float[] p = Arrays.copyOfRange(probs, t * v, (t + 1) * v);
            out.add(new RnnTrace.Step(t + 1, m.vocabulary.get(inputs[t]), m.vocabulary.get(targets[t]), oneHot, prev, inputTerm, recurrent,
                    state, p, (float) -Math.log(p[targets[t]])));
            prev = state;
        }
        List<RnnTrace.Weight> weights = List.of(
                new RnnTrace.Weight("W_ih", wihBefore, gih, courseOrientation(wih)),
                new RnnTrace.Weight("W_hh", whhBefore, ghh, courseOrientation(whh)),
                new RnnTrace.Weight("W_ho", whoBefore, gho, courseOrientation(who)));
        return new RnnTrace("rnn", CourseRnn.SENTENCES, m.vocabulary, sentence, out, loss.item(), lr, weights);
    }

    /** A weight stored as PyTorch does ([out, in]) in the course's orientation ([in, out]: input · W). */
    private static float[][] courseOrientation(Tensor w) {
        int r = w.size(0), c = w.size(1);
        float[] d = w.toArray();
        float[][] out = new float[c][r];
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) out[j][i] = d[i * c + j];
        return out;
    }
}
