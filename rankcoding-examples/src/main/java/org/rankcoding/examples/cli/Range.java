package org.rankcoding.examples.cli;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The allowed values of a numeric option, declared next to its {@code @Option}: every value from {@link #min} to
 * {@link #max}, each end included unless {@link #above} or {@link #below} says otherwise. For a list option the range
 * holds for every member, and the list may not be empty. {@link OptionBounds} checks every option of the command
 * line against its range before any work, and refuses a value outside it with a message naming the option, the value
 * and the range.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Range {

    /** The smallest value allowed (or, with {@link #above}, the bound the value must exceed). */
    double min();

    /** The largest value allowed (or, with {@link #below}, the bound the value must stay under). */
    double max();

    /** Whether {@link #min} itself is excluded: the value must be greater. */
    boolean above() default false;

    /** Whether {@link #max} itself is excluded: the value must be smaller. */
    boolean below() default false;

    /** What a special value in the range means, for the message ({@code "0 for none"}); empty for none. */
    String note() default "";
}
