package org.rankcoding.testing;

import org.junit.jupiter.api.Tag;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a test class or method as slow: the drills (child JVMs killed and resumed, many threads at once, fuzzing), the
 * allocation measurements, and the tests that take about 4 s or more on a 2-core machine. It is the JUnit tag
 * {@value #TAG}: the default build runs every test, {@code mvn -B verify -Pfast} (the same as
 * {@code -DexcludedGroups=slow}) leaves these out.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@Tag(Slow.TAG)
public @interface Slow {

    /** The tag's name, as {@code excludedGroups} and {@code groups} name it. */
    String TAG = "slow";
}
