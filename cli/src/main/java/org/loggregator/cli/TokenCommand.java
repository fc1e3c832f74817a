package org.loggregator.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.loggregator.cli.token.DevKeys;
import org.loggregator.cli.token.TokenClaims;
import org.loggregator.cli.token.TokenMinter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code logs token}: mints a development token and prints it alone on stdout. */
@Command(
    name = "token",
    mixinStandardHelpOptions = true,
    versionProvider = Help.Version.class,
    sortOptions = false,
    header = "Mint a development token (RS256 JWT) and print it.",
    synopsisHeading = "%nUsage: ",
    optionListHeading = "%nOptions:%n",
    footer = {"", "Example: export LOGS_TOKEN=$(logs token --app my-app)"})
final class TokenCommand implements Callable<Integer> {
  /** The signing key when neither --key nor LOGS_TOKEN_KEY says otherwise (from the repo root). */
  static final Path DEFAULT_KEY = Path.of("target", "dev-keys", DevKeys.PRIVATE_KEY_FILE);

  private static final Duration MAX_TTL = Duration.ofDays(3650);

  private final Invocation invocation;

  @Option(
      names = "--app",
      paramLabel = "ID",
      description = "an app id the token may read (repeat for more)")
  List<String> apps = new ArrayList<>();

  @Option(
      names = "--firehose",
      description = "add the scope doppler.firehose (read every app's envelopes)")
  boolean firehose;

  @Option(names = "--admin", description = "add the scope loggregator.admin")
  boolean admin;

  @Option(
      names = "--ttl",
      paramLabel = "DURATION",
      description = "lifetime, such as 30m, 24h or 7d (default 24h)")
  String ttl;

  @Option(
      names = "--key",
      paramLabel = "FILE",
      description =
          "PEM PKCS#8 RSA private key (default $LOGS_TOKEN_KEY, else"
              + " target/dev-keys/token-private.pem when it exists)")
  String key;

  @Option(
      names = "--issuer",
      paramLabel = "ISS",
      description = "the iss claim (default loggregator)")
  String issuer;

  @Option(
      names = "--audience",
      paramLabel = "AUD",
      description = "the aud claim (default loggregator; repeat for more)")
  List<String> audience = new ArrayList<>();

  @Option(
      names = "--subject",
      paramLabel = "SUB",
      description = "the sub and upn claims (default $USER, else developer)")
  String subject;

  TokenCommand(Invocation invocation) {
    this.invocation = invocation;
  }

  @Override
  public Integer call() throws CommandException {
    for (String app : apps) {
      if (app.isBlank()) {
        throw CommandException.usage("Option --app is empty; give an app id.");
      }
    }
    if (apps.isEmpty() && !firehose && !admin) {
      throw CommandException.usage(
          "Give at least one --app ID (or --firehose) to say what the token may read.");
    }
    TokenClaims claims =
        TokenClaims.forApps(
            apps.stream().map(String::trim).toList(),
            ttl == null ? TokenClaims.DEFAULT_TTL : parseTtl(ttl));
    if (firehose) {
      claims = claims.withFirehose();
    }
    if (admin) {
      claims = claims.withAdmin();
    }
    if (issuer != null) {
      if (issuer.isBlank()) {
        throw CommandException.usage("Option --issuer is empty; give a value or leave it out.");
      }
      claims = claims.withIssuer(issuer.trim());
    }
    if (!audience.isEmpty()) {
      if (audience.stream().anyMatch(String::isBlank)) {
        throw CommandException.usage("Option --audience is empty; give a value or leave it out.");
      }
      claims = claims.withAudience(audience.stream().map(String::trim).toList());
    }
    String sub = subject;
    if (sub == null) {
      String user = invocation.variable("USER");
      sub = user == null ? TokenClaims.DEFAULT_SUBJECT : user;
    } else if (sub.isBlank()) {
      throw CommandException.usage("Option --subject is empty; give a value or leave it out.");
    }
    claims = claims.withSubject(sub.trim());
    TokenMinter minter;
    try {
      minter = new TokenMinter(signingKey());
    } catch (IllegalArgumentException e) {
      throw CommandException.usage(e.getMessage());
    }
    invocation.out().println(minter.mint(claims));
    return ExitCode.OK.status();
  }

  private PrivateKey signingKey() throws CommandException {
    Path file;
    String origin;
    if (key != null) {
      file = Path.of(key);
      origin = " (from --key)";
    } else if (invocation.variable("LOGS_TOKEN_KEY") != null) {
      file = Path.of(invocation.variable("LOGS_TOKEN_KEY"));
      origin = " (from LOGS_TOKEN_KEY)";
    } else if (Files.exists(DEFAULT_KEY)) {
      file = DEFAULT_KEY;
      origin = "";
    } else {
      throw CommandException.usage(
          "No signing key: run `logs keygen` to create "
              + DEFAULT_KEY
              + ", or pass --key FILE or set LOGS_TOKEN_KEY.");
    }
    try {
      return DevKeys.readPrivateKey(file);
    } catch (NoSuchFileException e) {
      throw CommandException.usage(
          "The signing key "
              + file
              + origin
              + " does not exist: run `logs keygen` to create it, or pass --key FILE.");
    } catch (IOException e) {
      throw CommandException.usage(
          "The signing key " + file + origin + " cannot be read: " + e.getMessage() + ".");
    } catch (IllegalArgumentException e) {
      throw CommandException.usage(e.getMessage());
    }
  }

  /** A duration such as 90s, 30m, 24h or 7d (a bare number is seconds), from 1 s to 3650 d. */
  static Duration parseTtl(String text) throws CommandException {
    Duration ttl = DurationText.parse(text, true);
    if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw CommandException.usage(
          "Option --ttl must be a duration from 1s to 3650d such as 30m, 24h or 7d, but is \""
              + text
              + "\".");
    }
    return ttl;
  }
}
