package dev.glassbox.models.explain;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One event of a training step, in the order they happen: the forward pass node by node, the
 * loss, the backward pass (each node's gradient, then each weight's), the updates. In JSON each
 * carries its kind as {@code "type"}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = Event.Forward.class, name = "forward"),
        @JsonSubTypes.Type(value = Event.Loss.class, name = "loss"),
        @JsonSubTypes.Type(value = Event.NodeGradient.class, name = "node_gradient"),
        @JsonSubTypes.Type(value = Event.WeightGradient.class, name = "weight_gradient"),
        @JsonSubTypes.Type(value = Event.Update.class, name = "update"),
        @JsonSubTypes.Type(value = Event.MapForward.class, name = "map_forward"),
        @JsonSubTypes.Type(value = Event.Window.class, name = "window"),
        @JsonSubTypes.Type(value = Event.MapGradient.class, name = "map_gradient"),
        @JsonSubTypes.Type(value = Event.LstmCell.class, name = "lstm_cell"),
        @JsonSubTypes.Type(value = Event.TotalLoss.class, name = "total_loss"),
        @JsonSubTypes.Type(value = Event.AttentionHead.class, name = "attention_head"),
        @JsonSubTypes.Type(value = Event.Reparameterize.class, name = "reparameterize"),
        @JsonSubTypes.Type(value = Event.KlDivergence.class, name = "kl_divergence"),
        @JsonSubTypes.Type(value = Event.LatentGradient.class, name = "latent_gradient"),
        @JsonSubTypes.Type(value = Event.GanStep.class, name = "gan_step")})
public sealed interface Event {
    /**
     * A unit's forward computation: the values on its incoming arrows ({@code inputs}: the
     * units of the layers whose weighted arrows enter its layer, layer after layer in the order
     * of the graph's connections — X(t) then S(t−1) in a recurrent network), the weights on
     * those arrows, the bias (the sum of the connections' biases), their weighted sum
     * z = Σ inputs·weights + bias, the activation and its value a = f(z) (for softmax, over the
     * whole layer's z).
     */
    record Forward(String layer, String node, float[] inputs, float[] weights, float bias, float sum, String activation, float value)
            implements Event {}

    /** A feature map's or a vector's values after its layer's operation (row by row, the node's shape). */
    record MapForward(String layer, String node, float[] values) implements Event {}

    /**
     * One cell of a convolution worked out: for each input map, the k×k window under the
     * filter ({@code windows}, row by row, zeros where the padding is) and the filter's slice for
     * that map ({@code filters}); each map's sum of products ({@code sums}), the bias, and the
     * cell's value z = Σ sums + bias. Rows and columns count from 0.
     */
    record Window(String layer, String node, int row, int col, float[][] windows, float[][] filters, float[] sums, float bias, float value)
            implements Event {}

    /** dL/dz over a whole map (row by row): the backward pass's error signal at each of its cells. */
    record MapGradient(String layer, String node, float[] values) implements Event {}

    /**
     * The output against the target: the loss's kind ({@code mse}, {@code bce},
     * {@code cross_entropy}), the output layer's values, the target values (one-hot for a
     * class), the right class (or null), and the loss.
     */
    record Loss(String kind, String layer, float[] output, float[] target, Integer targetClass, float value) implements Event {}

    /**
     * An LSTM unit's memory at one time step: its gates (input i, forget f, candidate g, output
     * o, the activated values of its gates' forward events), the cell before c(t−1), the new
     * cell c = f·c(t−1) + i·g ({@code cell}, the value of the node of C(t)) and the new state
     * h = o·tanh(c) ({@code state}, the value of the node of S(t)). {@code node} is the unit's
     * number from 1.
     */
    record LstmCell(String cellLayer, String stateLayer, int node, float input, float forget, float candidate, float output,
                    float cellBefore, float cell, float state) implements Event {}

    /**
     * A loss made of several (a sequence's steps): the parts L_1, L_2, ... in order, how they
     * are folded ({@code sum}, or {@code mean} for seq2seq's loss per character), and the
     * result, the loss the step lowers.
     */
    record TotalLoss(float[] parts, String reduction, float value) implements Event {}

    /**
     * One attention head of one layer over the sequence: for each position (row) its query,
     * key and value ([positions][d_k]), the scores q_i·k_j/√d_k ([positions][positions], before
     * the mask), which keys each query may see ({@code allowed}: the causal mask), the softmax
     * weights over them (0 where not allowed) and the head's output, Σ_j weight_ij·v_j.
     * {@code head} counts from 1.
     */
    record AttentionHead(String layer, int head, float[][] q, float[][] k, float[][] v, float[][] scores, boolean[][] allowed, float[][] weights,
                         float[][] output) implements Event {}

    /**
     * A VAE's latent unit drawn by the reparameterisation: z = μ + σ·ε with σ = e^(½·log σ²) and
     * ε drawn from N(0, 1). {@code node} counts from 1.
     */
    record Reparameterize(String layer, int node, float mu, float logvar, float sigma, float eps, float z) implements Event {}

    /**
     * A VAE's loss 1: the KL divergence of N(μ, σ²) from N(0, 1) for each latent unit,
     * −½·(1 + log σ² − μ² − σ²) ({@code terms}), and their sum ({@code value}).
     */
    record KlDivergence(String muLayer, String logvarLayer, float[] terms, float value) implements Event {}

    /**
     * The gradient reaching a VAE's μ and log σ² of one latent unit: through z (dL/dz, since
     * dz/dμ = 1 and dz/d log σ² = ½·σ·ε) and straight from the KL term (μ, and ½·(σ² − 1));
     * {@code mu} and {@code logvar} are the sums, the node gradients of those units.
     */
    record LatentGradient(int node, float dz, float muFromKl, float mu, float logvarFromZ, float logvarFromKl, float logvar) implements Event {}

    /**
     * One step of a GAN's training, of the network {@code trains} ({@code discriminator} or
     * {@code generator}): D's probability that each real image is real ({@code real}, empty in a
     * generator step) and that each generated image is ({@code fake}), the targets they are scored
     * against, the loss of each half (binary cross-entropy, the mean over the batch) and their sum;
     * the same probabilities after the step; and how far each network's weights moved (the norm of
     * after − before): the other network's is exactly 0.
     */
    record GanStep(String trains, float[] real, float[] fake, float realTarget, float fakeTarget, float realLoss, float fakeLoss, float loss,
                   float[] realAfter, float[] fakeAfter, float discriminatorMoved, float generatorMoved) implements Event {}

    /** dL/dz at a unit: the error signal the backward pass brings to its weighted sum. */
    record NodeGradient(String layer, String node, float gradient) implements Event {}

    /**
     * dL/dW for a whole weight (its shape is the graph's). For a weight shared by the time
     * steps of an unrolled network, {@code shares} holds each step's part (step 1 first): the
     * part of step t is dL/dz at the units the weight's arrows enter at t times the values on
     * those arrows at t, and the parts add up to {@code values}. Null when not shared.
     */
    record WeightGradient(String weight, float[] values, float[][] shares) implements Event {
        public WeightGradient(String weight, float[] values) { this(weight, values, null); }
    }

    /**
     * A weight's update: before, gradient, after; for Adam also the moments m and v after the
     * step (null for SGD). The rule and its numbers are the trace's. {@code indices} is null
     * when the arrays hold every value of the weight; for a large weight it names the flat
     * positions they hold (its largest gradients).
     */
    record Update(String weight, float[] before, float[] gradient, float[] after, float[] m, float[] v, int[] indices) implements Event {
        public Update(String weight, float[] before, float[] gradient, float[] after, float[] m, float[] v) {
            this(weight, before, gradient, after, m, v, null);
        }
    }
}
