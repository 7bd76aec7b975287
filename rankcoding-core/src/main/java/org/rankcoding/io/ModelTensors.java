package org.rankcoding.io;

import org.ejml.data.DMatrixRMaj;
import org.rankcoding.nn.NetworkConfig;
import org.rankcoding.nn.ParameterHandle;
import org.rankcoding.nn.ParameterLayout;
import org.rankcoding.nn.Parameters;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tensor mapping of model files: a network's {@link Parameters} to the tensors of its {@link ParameterLayout}
 * (checked and written through {@link SafetensorsWriter}), and a file's tensors, checked against the layout its
 * metadata implies, back into a network's parameters (through {@link SafetensorsReader}).
 */
final class ModelTensors {

    private ModelTensors() {
    }

    /**
     * The payloads to write for {@code params} as {@code dtype}, in layout order.
     *
     * @throws IllegalArgumentException if a value is not finite or, for F32, beyond float's range
     */
    static List<SafetensorsWriter.Payload> payloads(Parameters params, TensorDType dtype) {
        ParameterLayout layout = params.layout();
        List<SafetensorsWriter.Payload> payloads = new ArrayList<>(layout.size());
        for (ParameterHandle h : layout.handles()) {
            ParameterLayout.Spec spec = layout.spec(h);
            DMatrixRMaj m = params.get(h);
            if (m.getNumElements() != spec.elements()) {
                throw new IllegalArgumentException("parameter '" + spec.name() + "' has " + m.getNumElements()
                        + " values, expected " + spec.elements() + " (shape " + spec.shapeString() + ")");
            }
            for (int i = 0; i < m.getNumElements(); i++) {
                double v = m.data[i];
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException("parameter '" + spec.name() + "' holds " + v + " at index " + i
                            + "; a network with non-finite weights cannot be saved");
                }
                if (dtype == TensorDType.F32 && Float.isInfinite((float) v)) {
                    throw new IllegalArgumentException("parameter '" + spec.name() + "' holds " + v + " at index " + i
                            + ", beyond float's range; save it with SaveOptions.DEFAULT.withDtype(TensorDType.F64)");
                }
            }
            payloads.add(new SafetensorsWriter.Doubles(
                    new HeaderEncoder.Layout(spec.name(), dtype.safetensorsName(), spec.shape()), m.data));
        }
        return payloads;
    }

    /**
     * Checks that the header holds exactly the tensors of {@code config}'s layout, each with its shape and dtype
     * {@code F32} or {@code F64}; returns the layout.
     */
    static ParameterLayout expected(Path file, SafetensorsHeader header, NetworkConfig config) throws ModelFileException {
        long count = ParameterLayout.tensorCount(config.layers(), config.frontEnd());
        if (count > ModelFiles.MAX_TENSORS) {
            throw new ModelFileException(file, "metadata '" + ModelFiles.KEY_LAYERS + "' is " + config.layers()
                    + ", which implies " + count + " tensors, more than the " + ModelFiles.MAX_TENSORS + " this library reads");
        }
        ParameterLayout layout = ParameterLayout.of(config);
        String configText = ModelMetadata.describe(config);
        Map<String, SafetensorsHeader.Entry> byName = byName(header);
        List<String> missing = new ArrayList<>();
        for (String name : layout.names()) {
            if (byName.remove(name) == null) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new ModelFileException(file, "missing tensor" + (missing.size() == 1 ? " " : "s ") + first(missing)
                    + " (" + configText + ")");
        }
        if (!byName.isEmpty()) {
            throw new ModelFileException(file, "unexpected tensor" + (byName.size() == 1 ? " " : "s ")
                    + first(new ArrayList<>(byName.keySet())) + ": the network " + configText + " has exactly "
                    + layout.size() + " tensors (extra tensors are rejected)");
        }
        byName = byName(header);
        for (ParameterLayout.Spec spec : layout.specs()) {
            SafetensorsHeader.Entry e = byName.get(spec.name());
            if (!Arrays.equals(e.shape(), spec.shape())) {
                throw new ModelFileException(file, "tensor '" + spec.name() + "' has shape " + e.shapeString() + ", expected "
                        + spec.shapeString() + " (" + spec.rule() + ", " + configText + ")");
            }
            if (!e.dtype().equals("F32") && !e.dtype().equals("F64")) {
                throw new ModelFileException(file, "tensor '" + spec.name() + "' has dtype " + e.dtype()
                        + ", expected F32 or F64 (in PyTorch, convert with .float() or .double() before saving)");
            }
            if (spec.elements() > SafetensorsReader.MAX_ARRAY) {
                throw new ModelFileException(file, "tensor '" + spec.name() + "' has " + spec.elements()
                        + " elements, more than a Java array holds (" + SafetensorsReader.MAX_ARRAY + ")");
            }
        }
        return layout;
    }

    /**
     * Reads every tensor of {@code target}'s layout from the file into {@code target}, checking each value is finite;
     * returns {@code F64} if any tensor is stored so, else {@code F32}.
     */
    static TensorDType read(SafetensorsReader reader, Parameters target) throws IOException {
        Map<String, SafetensorsHeader.Entry> byName = byName(reader.header());
        ParameterLayout layout = target.layout();
        TensorDType stored = TensorDType.F32;
        for (ParameterHandle h : layout.handles()) {
            ParameterLayout.Spec spec = layout.spec(h);
            SafetensorsHeader.Entry e = byName.get(spec.name());
            if (TensorDType.valueOf(e.dtype()) == TensorDType.F64) {
                stored = TensorDType.F64;
            }
            double[] data = target.get(h).data;
            reader.readDoubles(e, data);
            long n = spec.elements();
            for (int i = 0; i < n; i++) {
                if (!Double.isFinite(data[i])) {
                    throw new ModelFileException(reader.file(), "tensor '" + spec.name() + "' holds " + data[i] + " at "
                            + index(spec, i) + "; expected finite weights");
                }
            }
        }
        return stored;
    }

    private static Map<String, SafetensorsHeader.Entry> byName(SafetensorsHeader header) {
        Map<String, SafetensorsHeader.Entry> byName = new LinkedHashMap<>();
        for (SafetensorsHeader.Entry e : header.entries()) {
            byName.put(e.name(), e);
        }
        return byName;
    }

    private static String index(ParameterLayout.Spec spec, int i) {
        long[] shape = spec.shape();
        if (shape.length == 2) {
            return "[" + (i / shape[1]) + ", " + (i % shape[1]) + "]";
        }
        return "[" + i + "]";
    }

    private static String first(List<String> names) {
        int shown = Math.min(names.size(), 10);
        String list = String.join(", ", names.subList(0, shown));
        return "[" + list + (names.size() > shown ? ", ... (" + names.size() + " in all)" : "") + "]";
    }
}
