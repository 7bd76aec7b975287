/**
 * Model files: {@link org.rankcoding.io.ModelFiles} saves and loads networks as safetensors files whose tensors
 * have PyTorch's names and layouts ({@code nn.LSTM} + {@code nn.Linear}), with the configuration and provenance
 * in the header's metadata; {@code scripts/torch_interop.py} reads and writes the same files in PyTorch. Loading
 * is strict and bounded: anything but a valid model file is a {@link org.rankcoding.io.ModelFileException}.
 * The format is described in {@code docs/models.md}. {@link org.rankcoding.io.TensorFile} is the checksummed
 * safetensors container of training checkpoints, written atomically in the same way. Both go through one header
 * reader and parser ({@code SafetensorsHeader}, {@code HeaderParser}), one header encoder, one tensor reader
 * ({@code SafetensorsReader}) and one tensor writer ({@code SafetensorsWriter}); which tensors a model file holds is
 * the network's {@link org.rankcoding.nn.ParameterLayout}.
 */
package org.rankcoding.io;
