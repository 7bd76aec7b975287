/**
 * The network: a stack of LSTM layers, a linear readout and an output head, with an optional convolutional front end.
 * Start with {@link org.rankcoding.nn.NetworkConfig} (the shape: input size, hidden size, layers, head, classes) and
 * {@link org.rankcoding.nn.RankCodingNetwork} (the weights, initialised from a seed, under PyTorch's names in
 * {@link org.rankcoding.nn.Parameters}). The heads ({@link org.rankcoding.nn.HeadType}: binary sigmoid, per-class
 * sigmoid, softmax) say what a spike is and which cross-entropy trains them; {@link org.rankcoding.nn.ConvFrontEndConfig}
 * adds the convolutional front end of the temporal-MNIST models.
 *
 * <p>Networks are trained by {@link org.rankcoding.train.Trainer}, used for inference through
 * {@link org.rankcoding.infer.RankCodingModel}, and saved by {@link org.rankcoding.io.ModelFiles}.
 */
package org.rankcoding.nn;
