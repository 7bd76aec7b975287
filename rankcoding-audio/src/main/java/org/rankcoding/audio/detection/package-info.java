/**
 * Measuring a keyword spotter on audio whose words are labelled: the readers of the generators' label files
 * ({@link org.rankcoding.audio.detection.WordBounds} for clip data sets, {@link org.rankcoding.audio.detection.StreamLabels}
 * for long recordings) and the metrics users of keyword spotters compare: detections and false alarms
 * ({@link org.rankcoding.audio.detection.DetectionScorer}), false rejection rate, false alarms per hour and detection
 * latency ({@link org.rankcoding.audio.detection.StreamScore}, {@link org.rankcoding.audio.detection.LatencySummary}),
 * and the trade-off over the decision threshold ({@link org.rankcoding.audio.detection.OperatingCurve}).
 */
package org.rankcoding.audio.detection;
