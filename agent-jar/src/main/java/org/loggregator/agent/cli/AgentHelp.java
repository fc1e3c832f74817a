package org.loggregator.agent.cli;

/** The text {@code agent --help} prints: the usage, every {@link Option}, and the exit codes. */
public final class AgentHelp {

  private static final int INDENT = 6;
  private static final int WIDTH = 92;

  private AgentHelp() {}

  /** The text --help prints. */
  public static String text() {
    StringBuilder s = new StringBuilder();
    s.append(
        """
        Usage: java -jar agent.jar serve [OPTIONS]
               java -jar agent.jar run --app-id ID [OPTIONS] [--] COMMAND [ARGS...]

        serve  Forward the unsigned dropsonde envelopes that emitters send to the UDP ingress
               and, with --pod-logs, the lines of the node's pods (their CRI log files).
        run    Run COMMAND and send each line of its stdout and stderr as a LogMessage; exit
               with its exit code. SIGTERM, SIGINT and SIGHUP to the agent stop the child.

        Every envelope is signed with the shared secret (--shared-secret or
        --shared-secret-file: required) and sent by UDP to the doppler of the zone that owns its
        app id (or to --controller). Options are --name VALUE or --name=VALUE; the same names
        without dashes are the keys of the --config properties file.

        Options:
        """);
    for (Option o : Option.values()) {
      StringBuilder text = new StringBuilder(o.description());
      if (o.scope() == Option.Scope.RUN) {
        text.append(" Run mode only.");
      } else if (o.scope() == Option.Scope.SERVE) {
        text.append(" Serve mode only.");
      }
      if (!o.defaultText().isEmpty()) {
        text.append(" Default: ").append(o.defaultText()).append('.');
      }
      String head = "  " + o.flag() + (o.isSwitch() ? "" : " " + o.argument());
      s.append(head).append('\n');
      wrap(s, text.toString(), INDENT, WIDTH);
    }
    s.append(
        """

        Exit codes: 0 done (serve: stopped by SIGTERM or SIGINT); in run mode the child's exit
        code (128+N when a signal N ended it); 2 bad command line or settings (such as a
        missing, short or published shared secret); 1 the agent could not start (such as a port
        in use); 126 the command cannot be executed; 127 the command was not found.
        """);
    return s.toString();
  }

  private static void wrap(StringBuilder out, String text, int indent, int width) {
    int column = 0;
    for (String word : text.split(" ")) {
      if (column > indent && column + 1 + word.length() > width) {
        out.append('\n');
        column = 0;
      }
      if (column == 0) {
        out.append(" ".repeat(indent));
        column = indent;
      } else {
        out.append(' ');
        column++;
      }
      out.append(word);
      column += word.length();
    }
    out.append('\n');
  }
}
