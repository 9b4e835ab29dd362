package dev.coati.server.cli;

import dev.coati.server.cli.CoatiCli.Io;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * picocli commands built from a table (the verbs of {@code user} and {@code pki}, {@code test} and
 * {@code build}): options as {@code {name, LABEL or null for a switch, description[, "*" for
 * repeatable]}}.
 */
final class Verbs {
  private Verbs() {}

  /** A verb whose action gets the matched words ({@link Forwarded}). */
  static CommandLine verb(
      String name,
      String description,
      String positional,
      List<String[]> options,
      Function<List<String>, Integer> action) {
    Action a = new Action(action);
    CommandSpec spec = CommandSpec.wrapWithoutInspection(a).name(name);
    spec.mixinStandardHelpOptions(true);
    spec.usageMessage().description(description);
    if (positional != null) {
      spec.addPositional(
          PositionalParamSpec.builder()
              .paramLabel(positional)
              .type(String.class)
              .arity("1")
              .build());
    }
    for (String[] o : options) {
      OptionSpec.Builder b = OptionSpec.builder(o[0]).description(o[2]);
      if (o[1] == null) {
        b.type(boolean.class).arity("0");
      } else if (o.length > 3) {
        b.type(String[].class).paramLabel(o[1]).arity("1");
      } else {
        b.type(String.class).paramLabel(o[1]).arity("1");
      }
      spec.addOption(b.build());
    }
    a.spec = spec;
    return new CommandLine(spec);
  }

  /** A command with verbs: without one, its usage and exit 2. */
  static CommandLine group(String name, String description, Io io) {
    CommandLine[] self = new CommandLine[1];
    self[0] =
        verb(
            name,
            description,
            null,
            List.of(),
            w -> {
              self[0].usage(io.err());
              return 2;
            });
    return self[0];
  }

  /** {@code test} and {@code build}: verbs of the repository launcher only. */
  static CommandLine launcherOnly(String name, String description, Io io) {
    return verb(
        name,
        description + " Source checkout only (./coati " + name + ").",
        null,
        List.of(),
        w -> {
          io.err()
              .println(
                  "coati "
                      + name
                      + ": runs from a source checkout (./coati "
                      + name
                      + " in the repository), not from an installed coati");
          return 2;
        });
  }

  private static final class Action implements Callable<Integer> {
    private final Function<List<String>, Integer> action;
    CommandSpec spec;

    Action(Function<List<String>, Integer> action) {
      this.action = action;
    }

    @Override
    public Integer call() {
      return action.apply(Forwarded.words(spec));
    }
  }
}
