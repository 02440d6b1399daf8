package dev.glassbox.optim;

/** Changes an optimizer's learning rate once per {@link #step()} (call it after each epoch, or each step). */
public abstract class LRScheduler {
    protected final Optimizer optimizer;
    protected final float baseLr;
    protected int epoch;

    protected LRScheduler(Optimizer optimizer) {
        this.optimizer = optimizer;
        this.baseLr = optimizer.lr();
    }

    /** The learning rate at {@code epoch}. */
    protected abstract float lrAt(int epoch);

    public void step() {
        epoch++;
        optimizer.setLr(lrAt(epoch));
    }

    public float lastLr() { return optimizer.lr(); }

    /** How many times {@link #step()} was called (PyTorch's {@code last_epoch}); a checkpoint keeps it. */
    public int lastEpoch() { return epoch; }

    /** Continues from a saved {@link #lastEpoch()}: the rate becomes the schedule's at that point. */
    public void setLastEpoch(int lastEpoch) {
        if (lastEpoch < 0) throw new IllegalArgumentException(getClass().getSimpleName() + ": last epoch must be 0 or more, got " + lastEpoch);
        epoch = lastEpoch;
        optimizer.setLr(lastEpoch == 0 ? baseLr : lrAt(lastEpoch));
    }

    /** Multiplies the rate by gamma every {@code stepSize} epochs: lr₀·γ^⌊t/s⌋. */
    public static final class StepLR extends LRScheduler {
        private final int stepSize;
        private final float gamma;

        public StepLR(Optimizer optimizer, int stepSize, float gamma) {
            super(optimizer);
            if (stepSize <= 0) throw new IllegalArgumentException("StepLR: step size must be positive, got " + stepSize);
            this.stepSize = stepSize;
            this.gamma = gamma;
        }

        @Override
        protected float lrAt(int t) { return (float) (baseLr * Math.pow(gamma, t / stepSize)); }
    }

    /** Cosine annealing (Loshchilov and Hutter, 2017): η_min + (lr₀ − η_min)(1 + cos(πt/T))/2. */
    public static final class CosineAnnealingLR extends LRScheduler {
        private final int tMax;
        private final float etaMin;

        public CosineAnnealingLR(Optimizer optimizer, int tMax, float etaMin) {
            super(optimizer);
            if (tMax <= 0) throw new IllegalArgumentException("CosineAnnealingLR: T_max must be positive, got " + tMax);
            this.tMax = tMax;
            this.etaMin = etaMin;
        }

        @Override
        protected float lrAt(int t) {
            return (float) (etaMin + (baseLr - etaMin) * (1 + Math.cos(Math.PI * t / tMax)) / 2);
        }
    }
}
