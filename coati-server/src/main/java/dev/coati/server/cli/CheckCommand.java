package dev.coati.server.cli;

import dev.coati.auth.LocalUsers;
import dev.coati.auth.UserEntry;
import dev.coati.auth.UsersFileException;
import dev.coati.config.ConfigException;
import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code coati check --config FILE}: loads the configuration and the users file it names as the
 * gateway would, without starting anything; prints "ok" (and the warnings about legal but likely
 * wrong settings, with file and line) or the errors with file and line (exit 1).
 */
public final class CheckCommand {
  private CheckCommand() {}

  public static int run(List<String> words, PrintStream out, PrintStream err) {
    String file;
    try {
      Args a = Args.parse(words, Set.of(), Set.of("--config"));
      a.expectPositionals(0);
      file = a.value("--config");
      if (file == null) {
        throw new CommandException(2, "usage: coati check --config FILE");
      }
    } catch (CommandException e) {
      err.println("coati check: " + e.getMessage());
      return e.exitCode();
    }
    ConfigLoader.Inspection inspection;
    try {
      inspection = ConfigLoader.inspect(Path.of(file));
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 1;
    }
    if (!inspection.problems().isEmpty()) {
      inspection.problems().forEach(err::println);
      return 1;
    }
    List<String> warnings = new ArrayList<>(inspection.warnings());
    GatewayConfig config = inspection.config();
    if (config.usersFile() != null) {
      try {
        new UsersFile(config.usersFile(), err).load();
        warnings.addAll(plainPasswords(config.usersFile(), file));
      } catch (UsersFileException | IOException e) {
        err.println(e.getMessage());
        return 1;
      }
    }
    warnings.forEach(out::println);
    out.println(
        warnings.isEmpty()
            ? "ok"
            : "ok, " + warnings.size() + (warnings.size() == 1 ? " warning" : " warnings"));
    return 0;
  }

  /** A warning for each user whose password is stored as {@code {plain}} text. */
  static List<String> plainPasswords(Path users, String config) throws IOException {
    List<String> out = new ArrayList<>();
    List<String> lines = Files.readAllLines(users, StandardCharsets.UTF_8);
    for (int i = 0; i < lines.size(); i++) {
      UserEntry u = LocalUsers.parseLine(lines.get(i));
      if (u != null && u.plainPassword() != null) {
        out.add(
            users
                + ":"
                + (i + 1)
                + ": "
                + u.name()
                + ": warning: the password is stored as {plain} text (only CHAP-MD5 needs that):"
                + " store hashes with coati user passwd "
                + u.name()
                + " --config "
                + config);
      }
    }
    return out;
  }
}
