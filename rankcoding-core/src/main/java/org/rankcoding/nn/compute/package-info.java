/**
 * Internal: how an LSTM layer computes (not exported by the module). {@code LstmSteps} runs a layer's forward and
 * backward step on a block of rows with a {@link org.rankcoding.kernel.MatrixKernels}; {@code LstmWeights} is a
 * layer's weights copied into the kernels' compute layout; {@code LstmStep} and {@code LstmBackwardStep} are the
 * buffers of one step (the tape the backward step reads), {@code LstmGradients} a layer's gradient accumulators in
 * the compute layout, and {@code SparseRows} the CSR lists of sparse binary inputs. The training and inference
 * passes of {@code org.rankcoding.rc} build on these; the public layer, {@link org.rankcoding.nn.Lstm}, only holds
 * the parameters.
 */
package org.rankcoding.nn.compute;
