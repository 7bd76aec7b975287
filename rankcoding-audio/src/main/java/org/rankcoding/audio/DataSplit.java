package org.rankcoding.audio;

/** The three parts of a data set: fit on training, choose settings on validation, report on test. */
public enum DataSplit {
    /** Training data: every clip not named by a held-out list. */
    TRAINING,
    /** Validation data: the clips named in {@code validation_list.txt}. */
    VALIDATION,
    /** Test data: the clips named in {@code testing_list.txt}. */
    TEST
}
