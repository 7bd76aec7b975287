/**
 * Training-time augmentation of keyword-spotting clips, every random number drawn from the trainer's seeded generator.
 *
 * <ul>
 *   <li>{@link org.rankcoding.audio.augment.WaveformAugmentation} says what to do to a clip's samples and
 *       {@link org.rankcoding.audio.augment.WaveformAugmenter} does it: speed perturbation (resampling), pitch
 *       perturbation (WSOLA time stretch and resampling), time shift, reverberation (a synthetic room impulse
 *       response), background noise at a random SNR, gain; in that order.</li>
 *   <li>{@link org.rankcoding.audio.augment.SpecAugment}: time and frequency masks on the standardised log-mel
 *       features.</li>
 *   <li>{@link org.rankcoding.audio.augment.AugmentedClipSource}: a resumable training source that keeps the raw clips
 *       ({@link org.rankcoding.audio.augment.ClipSet}, 16-bit) and makes every batch anew: waveform augmentation, log-mel
 *       features, standardisation, masks.</li>
 * </ul>
 *
 * <p>Use augmentation for training only; validate and test on the plain features.
 */
package org.rankcoding.audio.augment;
