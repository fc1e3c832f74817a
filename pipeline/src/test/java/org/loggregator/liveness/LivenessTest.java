package org.loggregator.liveness;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class LivenessTest {

  @Test
  void shouldNameEveryPartThatReportsAProblemAndSurviveABrokenCheck() {
    Liveness alive = new Liveness();
    alive.watch(now -> null);
    alive.watch(now -> "the receive loop died");
    alive.watch(
        now -> {
          throw new IllegalStateException("broken");
        });

    List<String> problems = alive.problems(0);

    assertEquals(2, problems.size());
    assertEquals("the receive loop died", problems.get(0));
  }
}
