/**
 * rankcoding: LSTM training with rank coding (loss and backpropagation from each example's first spike)
 * and early-exit inference.
 */
module org.rankcoding {
    requires transitive ejml.core;
    requires ejml.ddense;
    requires org.slf4j;
    requires com.fasterxml.jackson.core;
    requires static jdk.incubator.vector;

    exports org.rankcoding.nn;
    exports org.rankcoding.rc;
    exports org.rankcoding.train;
    exports org.rankcoding.data;
    exports org.rankcoding.eval;
    exports org.rankcoding.kernel;
    exports org.rankcoding.infer;
    exports org.rankcoding.io;
    // internal, not exported: org.rankcoding.kernel.impl (the fast kernels, chosen through Kernels) and
    // org.rankcoding.nn.compute (the LSTM step, its buffers and the weights in compute layout)
}
