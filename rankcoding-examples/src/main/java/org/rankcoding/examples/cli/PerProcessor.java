package org.rankcoding.examples.cli;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a thread-count option: {@link OptionBounds} prints a one-line warning on standard error when its value
 * exceeds the processors available to the JVM ({@link Runtime#availableProcessors()}), where more threads only make
 * the run slower. The value is not refused (results are reproducible for a given thread count, and a run may be
 * repeated with the thread count of another machine); its {@link Range} still bounds it.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface PerProcessor {
}
