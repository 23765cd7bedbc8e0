package dev.cara.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The run that the JMH benchmarks of this module share: one fork, 3 warm-up and 5 measured
 * iterations of 2 s, with the benchmark object as the state of the whole run. JMH reads these
 * annotations from the superclass (as its sample 24 shows); a benchmark states only its mode and
 * unit, and overrides a setting by annotating itself.
 */
@State(Scope.Benchmark)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public abstract class StandardRun {
}
