package dev.glassbox.models.transformer;

import dev.glassbox.models.DataParallel;
import dev.glassbox.models.Recipe;
import dev.glassbox.models.SettingsJson;
import dev.glassbox.models.TrainSettings;
import dev.glassbox.models.seq2seq.DateRows;
import dev.glassbox.models.seq2seq.Dates;
import dev.glassbox.models.seq2seq.Seq2Seq;
import dev.glassbox.models.seq2seq.Seq2SeqRecipe;
import dev.glassbox.models.train.ClusterTask;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.GradientService;
import dev.glassbox.models.train.RoundBatches;
import dev.glassbox.models.train.RunOptions;
import dev.glassbox.models.train.SampledBatches;
import dev.glassbox.models.train.ScaleOut;
import dev.glassbox.models.train.SimpleTask;
import dev.glassbox.models.train.Trainer;
import dev.glassbox.models.train.TrainingCheckpoint;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.models.train.TrainingTask;
import dev.glassbox.nn.F;
import dev.glassbox.optim.Adam;
import dev.glassbox.optim.LRScheduler;
import dev.glassbox.tensor.Generator;
import dev.glassbox.tensor.GradMode;
import dev.glassbox.tensor.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The dates preset of the Transformer: the seq2seq model's task and measures — an epoch of
 * {@link Seq2SeqRecipe#STEPS_PER_EPOCH} batches of freshly generated dates, teacher forcing,
 * the mean cross-entropy per output character, Adam with its rate falling to 0 along a cosine
 * over the run's steps, the gradient norm clipped at 5; greedy
 * decoding's exact match and character accuracy on the same 2,000 held-out dates.
 */
final class DateTask {
    private DateTask() {}

    /** d_model 64, 4 heads, 2 encoder and 2 decoder layers, feed-forward 256. */
    static DateTransformer build(long seed) { return new DateTransformer(64, 4, 2, 256, new Generator(seed)); }

    static Recipe.Run train(TransformerRecipe r, TrainSettings t, RunOptions run, EventListener events) throws IOException {
        t.requireData(List.of("dates"), "the transformer's dates preset trains on its generated dates only");
        DateTransformer m = build(t.seed());
        int batch = t.batch();
        Generator g = new Generator(t.seed() + 1);
        Adam opt = new Adam(m.parameters(), t.lr());
        long total = t.steps() > 0 ? Math.min(t.steps(), (long) t.epochs() * Seq2SeqRecipe.STEPS_PER_EPOCH) : (long) t.epochs() * Seq2SeqRecipe.STEPS_PER_EPOCH;
        IntFunction<Map<String, Object>> evaluate = epoch -> {
            Map<String, Object> e = new LinkedHashMap<>();
            try (var ignored = GradMode.noGrad()) {
                m.eval();
                e.put("val_loss", loss(m, Dates.sample(500, Seq2SeqRecipe.HELD_OUT_SEED)).item());
            }
            e.putAll(scores(m));
            m.train();
            return e;
        };
        GradientService workers = null;
        Map<String, Object> figures = Map.of();
        Trainer.Result res;
        try {
            TrainingTask<?> task;
            if (run.cluster() != null) {   // the dates drawn here as one process draws them, each worker sent its rows (seq2seq's route)
                workers = ScaleOut.find().open(run.cluster(), r.name(), SettingsJson.write(t), m, events);
                int[] places = new int[batch];
                for (int i = 0; i < batch; i++) places[i] = i;
                task = new ClusterTask(m, opt, new RoundBatches(new SampledBatches<>(Seq2SeqRecipe.STEPS_PER_EPOCH, g, gen -> places.clone()),
                        run.cluster().syncEvery()), workers, evaluate).drawing(n -> DateRows.encode(draw(g, n)));
            } else {
                task = new SimpleTask<>(m, opt, new SampledBatches<>(Seq2SeqRecipe.STEPS_PER_EPOCH, g, gen -> draw(gen, batch)), b -> loss(m, b))
                        .evaluateWith(evaluate);
            }
            res = fit(task, r, t, opt, total, run, events);
            if (workers != null) figures = workers.figures();
        } finally {
            if (workers != null) workers.close();
        }
        Map<String, Object> out = r.runMetrics(t, res);
        out.put("steps", res.steps());
        out.put("loss", res.loss());
        Map<String, Object> sc = res.evaluation().containsKey("exact_match") ? new LinkedHashMap<>(res.evaluation()) : scores(m);
        sc.remove("val_loss");
        out.putAll(sc);
        out.putAll(figures);
        events.on(new TrainingEvent.Finished(out, res.seconds()));
        return new Recipe.Run(m, "dates", "dates", out, res.seconds());
    }

    /** The mean cross-entropy of the ISO characters, teacher-forced. */
    private static <B> Trainer.Result fit(TrainingTask<B> task, TransformerRecipe r, TrainSettings t, Adam opt, long total, RunOptions run,
                                          EventListener events) throws IOException {
        return new Trainer<>(task).epochs(t.epochs()).maxSteps(t.steps()).clipGradNorm(5f)
                .schedule(new LRScheduler.CosineAnnealingLR(opt, (int) Math.max(1, total), 0f), Trainer.Every.STEP).describe(r.name(), "dates", "dates")
                .keep(run, r.identity(t, Map.of())).resumeFrom(TrainingCheckpoint.resumed(run)).fit(events);
    }

    /** {@code n} new dates from {@code g}, as a training step draws them. */
    private static List<Dates.Example> draw(Generator g, int n) {
        List<Dates.Example> b = new ArrayList<>(n);
        for (int i = 0; i < n; i++) b.add(Dates.random(g));
        return b;
    }

    /** A worker's copy of a dates run: the batch's places (the dates come with each step), fresh models, the loss of its rows. */
    static DataParallel.Replica<int[]> replica(TrainSettings t) {
        return new DataParallel.Replica<>(DataParallel.places(t.batch()), () -> build(t.seed()), (model, places, rows) -> {
            DateRows.Decoded d = DateRows.decode(rows);
            return DataParallel.Step.of(loss((DateTransformer) model, d.examples(), d.padTo()));
        }, (model, lr) -> new Adam(model.parameters(), lr));
    }

    static Tensor loss(DateTransformer m, List<Dates.Example> batch) { return loss(m, batch, 1); }

    /** As {@link #loss(DateTransformer, List)}, the inputs padded to at least {@code padTo}. */
    static Tensor loss(DateTransformer m, List<Dates.Example> batch, int padTo) {
        List<String> in = batch.stream().map(Dates.Example::input).toList(), outs = batch.stream().map(Dates.Example::output).toList();
        DateTransformer.Source src = DateTransformer.source(in, padTo);
        Tensor logits = m.decode(src, m.encode(src), Seq2Seq.shiftedTargets(outs), Dates.OUTPUT_LENGTH);
        return F.crossEntropy(logits.reshape(batch.size() * Dates.OUTPUT_LENGTH, Dates.OUTPUT_CHARS.length()), Seq2Seq.targets(outs));
    }

    /** Exact match and per-character accuracy of greedy decoding on the seq2seq model's 2,000 held-out dates. */
    static Map<String, Object> scores(DateTransformer m) {
        Map<String, Object> out = Dates.scoreHeldOut(m::greedy);
        m.train();
        return out;
    }
}
