package org.rankcoding.spark;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Where the sequences and labels of a DataFrame are and how to read them: the features column holds either one array per
 * step ({@code array<array<double>>}, steps of the same size) or all steps flattened ({@code array<double>}, cut into
 * steps of {@code inputSize} values); the label column is numeric with integral values {@code >= 0}. Schemas are
 * checked before any job runs, and every refusal names the column, the type found and what to do.
 */
final class SequenceColumns implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The two accepted types of the features column. */
    static final DataType NESTED = DataTypes.createArrayType(DataTypes.createArrayType(DataTypes.DoubleType));
    static final DataType FLAT = DataTypes.createArrayType(DataTypes.DoubleType);

    private final String features;
    private final boolean flat;
    private final int inputSize;

    private SequenceColumns(String features, boolean flat, int inputSize) {
        this.features = features;
        this.flat = flat;
        this.inputSize = inputSize;
    }

    /**
     * The features column {@code column} of {@code schema}, checked.
     *
     * @param inputSize the size of each step's input vector: needed to cut a flat column into steps, checked against
     *                  every step of a nested one; 0 when unknown (a nested column then takes its first row's size)
     * @throws IllegalArgumentException if the column is missing or of another type, or a flat column has no input size
     */
    static SequenceColumns of(StructType schema, String column, int inputSize) {
        DataType type = field(schema, column, "features").dataType();
        boolean isFlat = isArrayOfDouble(type);
        boolean nested = type instanceof ArrayType a && isArrayOfDouble(a.elementType());
        if (!isFlat && !nested) {
            throw new IllegalArgumentException("features column '" + column + "' is " + type.simpleString()
                    + ", expected array<array<double>> (one array per step) or array<double> (steps flattened, with an "
                    + "input size); cast it, for example col(\"" + column + "\").cast(\"array<array<double>>\")");
        }
        if (isFlat && inputSize < 1) {
            throw new IllegalArgumentException("features column '" + column + "' is array<double> (steps flattened), "
                    + "so the input size of a step is needed to cut it into steps; set inputSize (>= 1), or give one "
                    + "array per step (array<array<double>>)");
        }
        return new SequenceColumns(column, isFlat, inputSize);
    }

    private static boolean isArrayOfDouble(DataType type) {
        return type instanceof ArrayType a && a.elementType().equals(DataTypes.DoubleType);
    }

    /**
     * The label column {@code column} of {@code schema}, checked to be numeric.
     *
     * @throws IllegalArgumentException if it is missing or not numeric
     */
    static void requireLabel(StructType schema, String column) {
        DataType type = field(schema, column, "label").dataType();
        if (!(type instanceof NumericType)) {
            throw new IllegalArgumentException("label column '" + column + "' is " + type.simpleString() + ", expected a "
                    + "numeric type holding the class (0, 1, ...); index string labels first, for example with Spark's "
                    + "StringIndexer");
        }
    }

    /**
     * Refuses an output column that already exists.
     *
     * @throws IllegalArgumentException if {@code schema} has a field {@code column}
     */
    static void requireAbsent(StructType schema, String column, String role) {
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(role + " column '" + column + "' already exists in the input (columns "
                    + Arrays.toString(schema.fieldNames()) + "); choose another name with set" + capitalised(role) + "Col");
        }
    }

    private static String capitalised(String role) {
        StringBuilder b = new StringBuilder();
        for (String part : role.split(" ")) {
            b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
        }
        return b.toString();
    }

    private static StructField field(StructType schema, String column, String role) {
        if (column == null || column.isEmpty()) {
            throw new IllegalArgumentException("the " + role + " column name is empty; set it to a column of the input");
        }
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException(role + " column '" + column + "' is not in the input; its columns are "
                    + Arrays.toString(schema.fieldNames()));
        }
        return schema.apply(column);
    }

    /**
     * The steps of {@code row}'s features (at field {@code index}).
     *
     * @param expectedSize the model's input size to check every step against, or 0 to accept any consistent size
     * @throws IllegalArgumentException for a null or empty sequence, a null value, steps of different sizes, a flat
     *                                  array whose length is not a multiple of the input size, or a non-finite value
     */
    double[][] steps(Row row, int index, int expectedSize) {
        if (row.isNullAt(index)) {
            throw rowProblem(row, "is null");
        }
        List<Object> values = row.getList(index);
        if (values.isEmpty()) {
            throw rowProblem(row, "has no steps");
        }
        double[][] steps;
        if (flat) {
            if (values.size() % inputSize != 0) {
                throw rowProblem(row, "has " + values.size() + " values, not a multiple of the input size " + inputSize);
            }
            steps = new double[values.size() / inputSize][inputSize];
            for (int i = 0; i < values.size(); i++) {
                steps[i / inputSize][i % inputSize] = value(row, values.get(i), i / inputSize, i % inputSize);
            }
        } else {
            steps = new double[values.size()][];
            for (int t = 0; t < steps.length; t++) {
                Object step = values.get(t);
                if (step == null) {
                    throw rowProblem(row, "step " + (t + 1) + " is null");
                }
                scala.collection.Seq<?> seq = (scala.collection.Seq<?>) step;
                int n = seq.length();
                int want = expectedSize > 0 ? expectedSize : (t == 0 ? n : steps[0].length);
                if (n != want || n == 0) {
                    throw rowProblem(row, "step " + (t + 1) + " has " + n + " values, expected " + want
                            + (expectedSize > 0 ? " (the model's input size)" : " like step 1"));
                }
                steps[t] = new double[n];
                for (int i = 0; i < n; i++) {
                    steps[t][i] = value(row, seq.apply(i), t, i);
                }
            }
        }
        if (expectedSize > 0 && steps[0].length != expectedSize) {
            throw rowProblem(row, "has steps of " + steps[0].length + " values, expected the model's input size "
                    + expectedSize);
        }
        return steps;
    }

    private double value(Row row, Object v, int t, int i) {
        if (v == null) {
            throw rowProblem(row, "step " + (t + 1) + ", input " + i + " is null (fill or drop missing values first)");
        }
        double d = (Double) v;
        if (!Double.isFinite(d)) {
            throw rowProblem(row, "step " + (t + 1) + ", input " + i + " is " + d + ", expected a finite value");
        }
        return d;
    }

    /**
     * The class in {@code row}'s label (at field {@code index}).
     *
     * @throws IllegalArgumentException for a null, negative, non-integral or too large label
     */
    static int label(Row row, int index, String column) {
        if (row.isNullAt(index)) {
            throw new IllegalArgumentException("label column '" + column + "' is null in a row; drop unlabelled rows "
                    + "before training");
        }
        double v = ((Number) row.get(index)).doubleValue();
        if (!(v >= 0) || v != Math.rint(v) || v > org.rankcoding.rc.DecisionRuleSpec.MAX_CLASS) {
            throw new IllegalArgumentException("label column '" + column + "' holds " + v + ", expected a class: an integer "
                    + "in [0, " + org.rankcoding.rc.DecisionRuleSpec.MAX_CLASS + "]");
        }
        return (int) v;
    }

    private IllegalArgumentException rowProblem(Row row, String what) {
        String shown = row.toString();
        if (shown.length() > 120) {
            shown = shown.substring(0, 117) + "...";
        }
        return new IllegalArgumentException("features column '" + features + "' " + what + " in row " + shown);
    }
}
