package it.org.loggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The README's first command: {@code bin/all-in-one} starts the all-in-one server and an agent
 * running the demo app, prints how to go on, tails the demo app in the seed format, and on Ctrl-C
 * stops everything it started.
 */
class DemoIT {

  @Test
  void shouldTailTheDemoAppAndStopEverythingWhenInterrupted() throws Exception {
    Path script = Path.of(System.getProperty("it.loggregator.script")).resolveSibling("all-in-one");
    // A shell cannot trap a signal that was ignored when it started, and a build started in the
    // background has SIGINT ignored: give the demo the default disposition, as a terminal does.
    ProcessBuilder builder =
        new ProcessBuilder("env", "--default-signal=INT", "setsid", script.toString())
            .redirectErrorStream(true);
    builder.environment().put("SKIP_BUILD", "1");
    Process demo = builder.start();
    List<String> printed = Collections.synchronizedList(new ArrayList<>());
    boolean ended = false;
    try (BufferedReader out =
        new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      int demoLines = 0;
      boolean stackTrace = false;
      while (demoLines < 20 || !stackTrace) {
        line = out.readLine();
        assertNotNull(line, "the demo printed " + printed);
        printed.add(line);
        if (line.contains(" demo-app APP/0 ")) {
          demoLines++;
          stackTrace |= line.contains("STDERR java.lang.IllegalStateException");
        }
      }
      assertTrue(printed.stream().anyMatch(l -> l.contains("bin/logs demo-app --recent")));
      assertTrue(printed.stream().anyMatch(l -> l.contains("Mint a token")));
      assertTrue(printed.contains("Connected, tailing..."));

      // Keep reading, as a terminal does: the demo's goodbye would block on a full pipe.
      Thread reader =
          new Thread(
              () -> {
                try {
                  String more;
                  while ((more = out.readLine()) != null) {
                    printed.add(more);
                  }
                } catch (java.io.IOException e) {
                  // the demo is gone
                }
              });
      reader.start();
      // Ctrl-C: SIGINT to the whole process group, as a terminal sends it.
      new ProcessBuilder("kill", "-INT", "--", "-" + demo.pid()).start().waitFor();
      ended = demo.waitFor(120, TimeUnit.SECONDS);
      reader.join(TimeUnit.SECONDS.toMillis(30));
      assertTrue(ended, "the demo ends after Ctrl-C: " + tail(printed));
    } finally {
      if (!ended) {
        // Stop what the demo left behind: its process group, then the server by its script.
        new ProcessBuilder("kill", "-KILL", "--", "-" + demo.pid()).start().waitFor();
        new ProcessBuilder(script.toString(), "stop").start().waitFor(120, TimeUnit.SECONDS);
      }
    }
    assertTrue(printed.contains("Stopped."), tail(printed));
    assertEquals(
        0,
        ProcessHandle.allProcesses()
            .filter(
                p -> p.info().commandLine().orElse("").contains("agent.jar run --app-id demo-app"))
            .count(),
        "the agent is gone");
    boolean serverGone;
    try {
      HttpClient.newHttpClient()
          .send(
              HttpRequest.newBuilder(URI.create("http://127.0.0.1:8080/health/ready")).build(),
              HttpResponse.BodyHandlers.discarding());
      serverGone = false;
    } catch (java.io.IOException e) {
      serverGone = true;
    }
    assertTrue(serverGone, "the all-in-one server is stopped");
  }

  private static String tail(List<String> printed) {
    return "" + printed.subList(Math.max(0, printed.size() - 5), printed.size());
  }

  /**
   * A second Ctrl-C, or a SIGINT to the whole process group, while the demo is stopping does not
   * cut its cleanup short: the server it started is stopped all the same, its process gone.
   */
  @Test
  void shouldStopTheServerItStartedWhenInterruptedAgainWhileStopping() throws Exception {
    Path script = Path.of(System.getProperty("it.loggregator.script")).resolveSibling("all-in-one");
    Path pidFile = LocalTopology.WLP.resolve("usr/servers/.pid/all-in-one.pid");
    ProcessBuilder builder =
        new ProcessBuilder("env", "--default-signal=INT", "setsid", script.toString())
            .redirectErrorStream(true);
    builder.environment().put("SKIP_BUILD", "1");
    Process demo = builder.start();
    List<String> printed = Collections.synchronizedList(new ArrayList<>());
    long serverPid = -1;
    boolean ended = false;
    try {
      BufferedReader out =
          new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
      for (String line; !printed.contains("Connected, tailing..."); printed.add(line)) {
        line = out.readLine();
        assertNotNull(line, "the demo printed " + printed);
      }
      serverPid = Long.parseLong(java.nio.file.Files.readString(pidFile).trim());
      Thread reader =
          new Thread(
              () -> {
                try {
                  for (String more; (more = out.readLine()) != null; ) {
                    printed.add(more);
                  }
                } catch (java.io.IOException e) {
                  // the demo is gone
                }
              });
      reader.start();
      interruptGroup(demo);
      // Once the demo runs `server stop`, interrupt the whole group again, twice.
      boolean stopping = false;
      for (int i = 0; i < 1200 && !stopping && demo.isAlive(); i++) {
        stopping =
            ProcessHandle.allProcesses()
                .anyMatch(
                    p -> p.info().commandLine().orElse("").contains("server stop all-in-one"));
        Thread.sleep(50);
      }
      assertTrue(stopping, "the demo stops its server: " + tail(printed));
      interruptGroup(demo);
      interruptGroup(demo);
      ended = demo.waitFor(180, TimeUnit.SECONDS);
      reader.join(TimeUnit.SECONDS.toMillis(30));
      assertTrue(ended, "the demo ends: " + tail(printed));
    } finally {
      if (!ended) {
        new ProcessBuilder("kill", "-KILL", "--", "-" + demo.pid()).start().waitFor();
        new ProcessBuilder(script.toString(), "stop").start().waitFor(120, TimeUnit.SECONDS);
      }
    }
    assertTrue(printed.contains("Stopped."), tail(printed));
    long pid = serverPid;
    assertFalse(
        ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false),
        "the server's process " + pid + " is gone");
  }

  /** SIGINT to the demo's whole process group, as a terminal's Ctrl-C sends it. */
  private static void interruptGroup(Process demo) throws Exception {
    new ProcessBuilder("kill", "-INT", "--", "-" + demo.pid()).start().waitFor();
  }
}
