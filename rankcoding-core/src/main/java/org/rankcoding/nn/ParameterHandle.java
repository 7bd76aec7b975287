package org.rankcoding.nn;

/**
 * One tensor of a {@link ParameterLayout}, resolved once: {@link Parameters#get(ParameterHandle)} returns its matrix
 * by index, without a string lookup. Handles come from a layout ({@link ParameterLayout#lstm(int)},
 * {@link ParameterLayout#readout()}, {@link ParameterLayout#frontEndStage(int)}, {@link ParameterLayout#handle(String)})
 * and address the same tensor in every {@link Parameters} of an equal layout: weights, gradients, optimizer moments.
 */
public final class ParameterHandle {

    private final ParameterLayout layout;
    private final int index;
    private final String name;

    ParameterHandle(ParameterLayout layout, int index, String name) {
        this.layout = layout;
        this.index = index;
        this.name = name;
    }

    /** The layout this handle belongs to. */
    public ParameterLayout layout() {
        return layout;
    }

    /** The tensor's position in the layout's order (0 for the first). */
    public int index() {
        return index;
    }

    /** The tensor's name (PyTorch's, as in model files). */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name + " (#" + index + ")";
    }
}
