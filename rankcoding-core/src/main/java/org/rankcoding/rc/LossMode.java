package org.rankcoding.rc;

/** Where the training loss is taken. */
public enum LossMode {
    /**
     * Rank coding: at each example's first spike (or its last step if it never spikes); rows leave the
     * batch at their spike and back-propagation starts there.
     */
    RANK_CODING,
    /** The end-of-sequence baseline: at each example's last step; every row runs to its end. */
    END_OF_SEQUENCE
}
