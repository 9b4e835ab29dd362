package dev.coati.server.cli;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The words a picocli sub-command matched, in the canonical form the command implementations
 * ({@link UserCommand}, {@link PkiCommand}, {@link ControlClient}, ...) take: positionals first,
 * then each option by its long name with its values ({@code --name=v} becomes {@code --name v}).
 * picocli has already refused unknown options and missing values, and answered {@code --help}.
 */
final class Forwarded {
  private Forwarded() {}

  static List<String> words(CommandSpec spec) {
    ParseResult pr = spec.commandLine().getParseResult();
    List<String> out = new ArrayList<>();
    for (ArgSpec p : pr.matchedPositionals()) {
      out.addAll(p.stringValues());
    }
    for (OptionSpec o : pr.matchedOptions()) {
      if (o.usageHelp() || o.versionHelp()) {
        continue;
      }
      if (o.arity().max() == 0) {
        out.add(o.longestName());
        continue;
      }
      for (String v : o.stringValues()) {
        out.add(o.longestName());
        out.add(v);
      }
    }
    return out;
  }
}
