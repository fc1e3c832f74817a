package org.loggregator.bench;

import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The one warm-up, measurement and fork every JMH benchmark here runs with (JMH annotations are
 * inherited): 3 warm-up and 5 measured iterations of 2 s in one fork, state per thread. A benchmark
 * extends it and names only its mode and unit.
 */
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Thread)
public abstract class StandardRun {}
