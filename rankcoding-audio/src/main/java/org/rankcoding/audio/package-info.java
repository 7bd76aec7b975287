/**
 * Audio data for rank-coded LSTMs: keyword spotting on Speech Commands.
 *
 * <ul>
 *   <li>{@link org.rankcoding.audio.WavReader}: 16-bit PCM mono WAV files to float samples, every defect a
 *       {@link org.rankcoding.audio.WavFormatException} naming the file and the problem; pad or cut to a fixed
 *       length.</li>
 *   <li>{@link org.rankcoding.audio.LogMelSpectrogram} with {@link org.rankcoding.audio.LogMelConfig}: the front end
 *       (25 ms Hann windows every 10 ms, 512-point FFT by JTransforms, 40 HTK mel bands, log), one 40-value step per
 *       frame, 98 frames per second of 16 kHz audio; {@link org.rankcoding.audio.FeatureNormalizer} standardises per
 *       band with training-set statistics.</li>
 *   <li>{@link org.rankcoding.audio.SpeechCommands}: the data set's folder layout and split lists, clips to
 *       {@link org.rankcoding.data.LabeledSequence}s and {@link org.rankcoding.data.InMemorySequences} per split
 *       ({@link org.rankcoding.audio.SpeechCommandsFeatures}).</li>
 * </ul>
 *
 * <p>Data flows one way: WAV file, samples, log-mel frames, standardised sequence, batch. {@code
 * scripts/make-speech-commands} generates a synthetic data set in the same layout (espeak-ng voices, sox); see
 * {@code docs/audio.md}.
 *
 * <p>This module ({@code org.rankcoding:rankcoding-audio}) is used on the class path only: it has no
 * {@code module-info.java}, because JTransforms and its dependencies (commons-math3, JLargeArrays) are not JPMS
 * modules. It keeps the FFT dependency out of {@code rankcoding-core}, which it depends on.
 */
package org.rankcoding.audio;
