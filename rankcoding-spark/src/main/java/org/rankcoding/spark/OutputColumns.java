package org.rankcoding.spark;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/** The four columns scoring adds, and the output schema they make. */
final class OutputColumns {

    private OutputColumns() {
    }

    /**
     * {@code input} with prediction (double), probability (vector), decision step (int) and decided-early (boolean)
     * appended.
     *
     * @throws IllegalArgumentException if one of the names is already a column of {@code input}
     */
    static StructType append(StructType input, String prediction, String probability, String decisionStep,
                             String decidedEarly) {
        SequenceColumns.requireAbsent(input, prediction, "prediction");
        SequenceColumns.requireAbsent(input, probability, "probability");
        SequenceColumns.requireAbsent(input, decisionStep, "decision step");
        SequenceColumns.requireAbsent(input, decidedEarly, "decided early");
        return input.add(prediction, DataTypes.DoubleType, false)
                .add(probability, SQLDataTypes.VectorType(), false)
                .add(decisionStep, DataTypes.IntegerType, false)
                .add(decidedEarly, DataTypes.BooleanType, false);
    }
}
