package dev.glassbox.models.word2vec;

import dev.glassbox.models.DataParallel;
import dev.glassbox.models.train.AveragingService;
import dev.glassbox.models.train.EventListener;
import dev.glassbox.models.train.TrainingEvent;
import dev.glassbox.nn.F;
import dev.glassbox.optim.SGD;
import dev.glassbox.tensor.Generator;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;

/**
 * word2vec on a cluster, as Spark MLlib's Word2Vec trains: the vocabulary is built here (and by
 * each worker, from the same corpus, the same); each epoch the input and output vectors go to
 * every worker, each trains one epoch over its part of the corpus on one thread (the rate
 * falling as if every part kept its pace), and each vector becomes the mean over the workers
 * that changed it. The course preset instead spreads its pairs over the workers, as the course's
 * other small models do.
 */
final class Word2VecCluster {
    private Word2VecCluster() {}

    static Word2Vec.Result train(Corpus corpus, Word2VecConfig cfg, String preset, AveragingService workers, EventListener events) throws IOException {
        Vocabulary vocab = Vocabulary.build(corpus, cfg.minCount());
        int v = vocab.size(), dim = cfg.dim(), epochs = cfg.epochs();
        float[] state = Word2VecPart.initialState(vocab, cfg);
        events.on(new TrainingEvent.Started("word2vec", preset, corpus.name(), epochs, 1, epochs, 0));
        long t0 = System.nanoTime(), raw = 0;
        float loss = Float.NaN;
        for (int e = 0; e < epochs; e++) {
            AveragingService.Result r = workers.round(state, dim, e);
            raw += r.rawWords();
            loss = r.count() == 0 ? Float.NaN : (float) (r.lossSum() / r.count());
            float alpha = Math.max(cfg.alpha() * (1f - (float) (e + 1) / epochs), cfg.alpha() * 1e-4f);
            events.on(new TrainingEvent.Words(e + 1, epochs, raw, vocab.rawTokens() * epochs, alpha, loss,
                    raw / Math.max(1e-9, (System.nanoTime() - t0) / 1e9)));
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        KeyedVectors kv = new KeyedVectors(vocab.words().clone(), vocab.counts().clone(), Arrays.copyOf(state, v * dim), dim);
        return new Word2Vec.Result(kv, Arrays.copyOfRange(state, v * dim, 2 * v * dim), vocab, cfg, raw, secs, raw / secs, loss);
    }

    /** A worker's copy of a course run: the course's (centre, context) pairs, fresh models, the mean cross-entropy of a batch of pairs. */
    static DataParallel.Replica<List<int[]>> courseReplica(long seed) {
        return new DataParallel.Replica<>(DataParallel.items(new CourseWord2Vec(new Generator(seed)).allPairs()),
                () -> new CourseWord2Vec(new Generator(seed)), (model, pairs, noise) -> {
                    CourseWord2Vec m = (CourseWord2Vec) model;
                    int[] centres = pairs.stream().mapToInt(p -> p[0]).toArray(), contexts = pairs.stream().mapToInt(p -> p[1]).toArray();
                    return DataParallel.Step.of(F.crossEntropy(m.scores(centres), contexts));
                }, (model, lr) -> new SGD(model.parameters(), lr));
    }
}
