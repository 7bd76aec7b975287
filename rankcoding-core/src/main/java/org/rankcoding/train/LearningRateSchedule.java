package org.rankcoding.train;

/**
 * How the learning rate changes over a training run's budget. {@code progress} is the fraction of the
 * budget's sequences trained before the update, in {@code [0, 1)}.
 */
public enum LearningRateSchedule {
    /** The configured learning rate throughout (the reference experiments' setting). */
    CONSTANT {
        @Override
        public double factor(double progress) {
            return 1.0;
        }
    },
    /**
     * Cosine decay from the configured learning rate to zero at the end of the budget:
     * {@code lr * (1 + cos(pi * progress)) / 2}. It lets the weights settle at the end of a run instead of
     * ending wherever the last constant-rate steps left them.
     */
    COSINE {
        @Override
        public double factor(double progress) {
            return 0.5 * (1 + Math.cos(Math.PI * progress));
        }
    };

    /** The multiplier of the configured learning rate at {@code progress} in {@code [0, 1]}. */
    public abstract double factor(double progress);
}
