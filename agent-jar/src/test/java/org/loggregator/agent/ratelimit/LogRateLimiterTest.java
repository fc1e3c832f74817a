package org.loggregator.agent.ratelimit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.loggregator.agent.ratelimit.LogRateLimiter.Verdict;

class LogRateLimiterTest {

  private static final long SECOND = 1_000_000_000L;
  private static final long T0 = 1_700_000_000L * SECOND;

  private static Verdict admit(LogRateLimiter limiter, String app, long now) {
    byte[] b = ("xx" + app).getBytes(StandardCharsets.UTF_8);
    return limiter.admit(b, 2, b.length - 2, now);
  }

  @Test
  void shouldAdmitTheLimitThenDropAndNotifyOnceWhenAnAppExceedsIt() {
    LogRateLimiter limiter = new LogRateLimiter(3, 10);
    List<Verdict> verdicts = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      verdicts.add(admit(limiter, "app", T0 + i));
    }
    assertEquals(
        List.of(
            Verdict.ADMIT,
            Verdict.ADMIT,
            Verdict.ADMIT,
            Verdict.DROP_AND_NOTIFY,
            Verdict.DROP,
            Verdict.DROP),
        verdicts);
  }

  @Test
  void shouldStartAfreshWhenTheNextSecondBegins() {
    LogRateLimiter limiter = new LogRateLimiter(1, 10);
    assertEquals(Verdict.ADMIT, admit(limiter, "app", T0 + SECOND - 2));
    assertEquals(Verdict.DROP_AND_NOTIFY, admit(limiter, "app", T0 + SECOND - 1));
    assertEquals(Verdict.ADMIT, admit(limiter, "app", T0 + SECOND));
    assertEquals(Verdict.DROP_AND_NOTIFY, admit(limiter, "app", T0 + SECOND + 5));
  }

  @Test
  void shouldCountEachAppApartWhenSeveralShareTheLimiter() {
    LogRateLimiter limiter = new LogRateLimiter(2, 100);
    for (int i = 0; i < 50; i++) {
      assertEquals(Verdict.ADMIT, admit(limiter, "app-" + i, T0));
      assertEquals(Verdict.ADMIT, admit(limiter, "app-" + i, T0));
    }
    for (int i = 0; i < 50; i++) {
      assertEquals(Verdict.DROP_AND_NOTIFY, admit(limiter, "app-" + i, T0), "app-" + i);
    }
  }

  @Test
  void shouldLetFurtherAppsPassWhenMoreAppsThanTrackedLogInOneSecond() {
    LogRateLimiter limiter = new LogRateLimiter(1, 2);
    admit(limiter, "a", T0);
    admit(limiter, "b", T0);
    for (int i = 0; i < 5; i++) {
      assertEquals(Verdict.ADMIT, admit(limiter, "c", T0));
    }
    assertEquals(Verdict.DROP_AND_NOTIFY, admit(limiter, "a", T0));
    assertEquals(Verdict.ADMIT, admit(limiter, "c", T0 + SECOND), "tracked in the next second");
    assertEquals(Verdict.DROP_AND_NOTIFY, admit(limiter, "c", T0 + SECOND));
  }

  @Test
  void shouldStayInTheCurrentWindowWhenTheClockStepsBack() {
    LogRateLimiter limiter = new LogRateLimiter(1, 10);
    assertEquals(Verdict.ADMIT, admit(limiter, "app", T0 + 5 * SECOND));
    assertEquals(Verdict.DROP_AND_NOTIFY, admit(limiter, "app", T0));
  }

  @Test
  void shouldAdmitExactlyTheLimitPerSecondWhenTwoThreadsShareOneApp() throws Exception {
    LogRateLimiter limiter = new LogRateLimiter(1000, 1);
    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger notices = new AtomicInteger();
    Runnable stream =
        () -> {
          for (int i = 0; i < 5000; i++) {
            Verdict v = admit(limiter, "app", T0 + i);
            if (v == Verdict.ADMIT) {
              admitted.incrementAndGet();
            } else if (v == Verdict.DROP_AND_NOTIFY) {
              notices.incrementAndGet();
            }
          }
        };
    Thread out = new Thread(stream);
    Thread err = new Thread(stream);
    out.start();
    err.start();
    out.join();
    err.join();
    assertEquals(1000, admitted.get());
    assertEquals(1, notices.get());
  }

  @Test
  void shouldSayTheLimitInTheNoticeWhenAsked() {
    assertEquals(
        "app instance exceeded log rate limit (250 log-lines/sec)",
        new String(new LogRateLimiter(250, 1).notice(), StandardCharsets.UTF_8));
  }
}
