package org.loggregator.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.loggregator.cli.token.DevKeys;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code logs keygen}: writes a development key pair. */
@Command(
    name = "keygen",
    mixinStandardHelpOptions = true,
    versionProvider = Help.Version.class,
    sortOptions = false,
    header = "Write a development key pair: token-private.pem, token-public.pem.",
    synopsisHeading = "%nUsage: ",
    optionListHeading = "%nOptions:%n")
final class KeygenCommand implements Callable<Integer> {
  private final Invocation invocation;

  @Option(
      names = "--out",
      paramLabel = "DIR",
      description =
          "where to write the pair (default: the directory of $LOGS_TOKEN_KEY, else"
              + " target/dev-keys)")
  String out;

  @Option(
      names = "--force",
      description = "replace an existing pair (tokens signed with the old key stop working)")
  boolean force;

  KeygenCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws CommandException {
    Path dir;
    if (out != null) {
      if (out.isBlank()) {
        throw CommandException.usage("Option --out is empty; give a directory.");
      }
      dir = Path.of(out);
    } else if (invocation.variable("LOGS_TOKEN_KEY") != null) {
      dir = Path.of(invocation.variable("LOGS_TOKEN_KEY")).toAbsolutePath().getParent();
    } else {
      dir = TokenCommand.DEFAULT_KEY.getParent();
    }
    try {
      DevKeys.write(DevKeys.generate(), dir, force);
    } catch (FileAlreadyExistsException e) {
      throw CommandException.usage(
          e.getFile()
              + " already exists; pass --force to replace the pair (tokens signed with the old"
              + " key stop working).");
    } catch (IOException e) {
      throw new CommandException(
          ExitCode.UNEXPECTED,
          "Cannot write the key pair into " + dir + ": " + e.getMessage() + ".");
    }
    invocation
        .out()
        .println(
            "Wrote "
                + dir.resolve(DevKeys.PRIVATE_KEY_FILE)
                + " (signs tokens; keep it private) and "
                + dir.resolve(DevKeys.PUBLIC_KEY_FILE)
                + " (verifies them: the controller's controller.tokenPublicKey).");
    return ExitCode.OK.status();
  }
}
