package dev.glassbox.models.word2vec;

import dev.glassbox.models.PartTraining;

import java.io.IOException;

/**
 * A worker's part of a word2vec run on a cluster: the corpus's vocabulary (built as the driver
 * builds it) and the worker's share of its chunks as word ids (only that share is kept). A round is one epoch over the
 * part on one thread; the state is the input vectors' rows then the output vectors' rows, each
 * of {@code dim} floats (padded here to the machine's vector width, so machines of other widths
 * can share a run).
 */
final class Word2VecPart implements PartTraining.Share {
    private final Vocabulary vocab;
    private final Word2VecConfig cfg;
    private final Chunks.InMemory mine;
    private final int part, parts;

    private Word2VecPart(Vocabulary vocab, Word2VecConfig cfg, Chunks.InMemory mine, int part, int parts) {
        this.vocab = vocab;
        this.cfg = cfg;
        this.mine = mine;
        this.part = part;
        this.parts = parts;
    }

    static Word2VecPart load(Corpus corpus, Word2VecConfig cfg, int part, int parts) throws IOException {
        Vocabulary vocab = Vocabulary.build(corpus, cfg.minCount());
        return new Word2VecPart(vocab, cfg, Chunks.InMemory.encode(corpus, vocab, 1).part(part, parts, 1), part, parts);
    }

    /** The state a run starts from: the input vectors as the C tool starts them, the output vectors zero. */
    static float[] initialState(Vocabulary vocab, Word2VecConfig cfg) {
        int v = vocab.size(), dim = cfg.dim();
        float[] state = new float[2 * v * dim];
        float[] syn0 = Word2Vec.initialInput(v, dim, dim, cfg.seed());
        System.arraycopy(syn0, 0, state, 0, syn0.length);
        return state;
    }

    @Override
    public PartTraining.Trained train(float[] state, int round) throws Exception {
        int v = vocab.size(), dim = cfg.dim(), stride = Word2Vec.stride(dim);
        if (state.length != 2 * v * dim) {
            throw new IllegalStateException("a worker's vocabulary has " + v + " words of " + dim + " dimensions, the driver's state " + state.length + " floats");
        }
        float[] syn0 = new float[v * stride], syn1 = new float[v * stride];
        for (int w = 0; w < v; w++) {
            System.arraycopy(state, w * dim, syn0, w * stride, dim);
            System.arraycopy(state, (v + w) * dim, syn1, w * stride, dim);
        }
        Word2Vec.PartEpoch e = Word2Vec.trainPart(mine.again(1), part, vocab, cfg, syn0, syn1, stride, round, parts, vocab.trainWords());
        boolean[] changed = new boolean[2 * v];
        for (int w = 0; w < v; w++) {
            System.arraycopy(syn0, w * stride, state, w * dim, dim);
            System.arraycopy(syn1, w * stride, state, (v + w) * dim, dim);
            changed[w] = e.changedInput()[w];
            changed[v + w] = e.changedOutput()[w];
        }
        return new PartTraining.Trained(changed, e.lossSum(), e.pairs(), e.rawWords());
    }
}
