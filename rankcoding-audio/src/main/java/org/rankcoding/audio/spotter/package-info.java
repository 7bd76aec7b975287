/**
 * Keyword spotting on a continuous stream: {@link org.rankcoding.audio.spotter.KeywordSpotter} runs a
 * {@link org.rankcoding.audio.spotter.KeywordModel} (a model file with its words, front end and feature statistics)
 * over samples fed in pieces of any length and reports each keyword heard as a
 * {@link org.rankcoding.audio.spotter.KeywordEvent}; {@link org.rankcoding.audio.spotter.StreamingFeatures} is its
 * front end (samples to standardised log-mel frames, incrementally) and {@link org.rankcoding.audio.spotter.ResetPolicy}
 * says how sessions of a network trained on 1 s clips cover a stream of any length.
 */
package org.rankcoding.audio.spotter;
