package dev.coati.server.cli;

import dev.coati.auth.UsersFileException;
import dev.coati.config.ConfigException;
import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * {@code coati check --config FILE}: loads the configuration and the users file it names as the
 * gateway would, without starting anything; prints "ok" or the errors with file and line (exit 1).
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
    GatewayConfig config;
    try {
      config = ConfigLoader.load(Path.of(file));
    } catch (ConfigException e) {
      err.println(e.getMessage());
      return 1;
    }
    if (config.usersFile() != null) {
      try {
        new UsersFile(config.usersFile(), err).load();
      } catch (UsersFileException | IOException e) {
        err.println(e.getMessage());
        return 1;
      }
    }
    AggressiveModeCheck.warnings(config).forEach(err::println);
    out.println("ok");
    return 0;
  }
}
