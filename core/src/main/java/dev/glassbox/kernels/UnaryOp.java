package dev.glassbox.kernels;

/** Elementwise unary operations. */
public enum UnaryOp {
    NEG, EXP, LOG, SQRT, ABS, SIGMOID, TANH, RELU, GELU, SIGN;

    private static final float SQRT1_2 = (float) (1 / Math.sqrt(2));

    /** The scalar rule. */
    public float apply(float x) {
        return switch (this) {
            case NEG -> -x;
            case EXP -> (float) Math.exp(x);
            case LOG -> (float) Math.log(x);
            case SQRT -> (float) Math.sqrt(x);
            case ABS -> Math.abs(x);
            case SIGMOID -> sigmoid(x);
            case TANH -> (float) Math.tanh(x);
            case RELU -> x > 0f ? x : 0f;
            case GELU -> 0.5f * x * (1f + erf(x * SQRT1_2));
            case SIGN -> Math.signum(x);
        };
    }

    /** Logistic sigmoid, written so that neither branch overflows. */
    public static float sigmoid(float x) {
        if (x >= 0f) return 1f / (1f + (float) Math.exp(-x));
        float e = (float) Math.exp(x);
        return e / (1f + e);
    }

    /**
     * The error function, by Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7,
     * under float32's resolution near 1); the JDK has none.
     */
    public static float erf(float xf) {
        double x = Math.abs(xf);
        double t = 1.0 / (1.0 + 0.3275911 * x);
        double y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t
                + 0.254829592) * t * Math.exp(-x * x);
        return (float) (xf < 0 ? -y : y);
    }
}
