package org.loggregator.cli;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.Map;
import picocli.codegen.docgen.manpage.ManPageGenerator;

/**
 * Writes the AsciiDoc source of the man pages of {@code logs} and its subcommands with picocli's
 * {@link ManPageGenerator}, from the command tree a run uses; the build runs it at {@code package}
 * and Asciidoctor turns the sources into {@code target/man/logs.1} and the others.
 */
public final class ManPage {
  private ManPage() {}

  /** {@code ManPage OUTDIR}. */
  public static void main(String[] args) throws IOException {
    PrintStream nowhere = new PrintStream(OutputStream.nullOutputStream());
    Invocation invocation = new Invocation(nowhere, nowhere, Map.of(), null, hook -> {}, false);
    int status =
        ManPageGenerator.generateManPage(
            new File(args[0]),
            null,
            new boolean[0],
            true,
            LogsCommand.commandLine(invocation).getCommandSpec());
    if (status != 0) {
      throw new IOException("picocli's man page generator ended with " + status);
    }
  }
}
