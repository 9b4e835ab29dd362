package dev.coati.server.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code --name value} options and {@code --flag} switches of one sub-command, parsed against the
 * sets the command accepts; anything else is a {@link UsageException}.
 */
final class CliOptions {
  private final Map<String, List<String>> values = new HashMap<>();
  private final Set<String> flags = new HashSet<>();

  private CliOptions() {}

  /** Parses {@code args}; {@code withValue} options take one argument and may repeat. */
  static CliOptions parse(List<String> args, Set<String> withValue, Set<String> switches) {
    CliOptions o = new CliOptions();
    for (int i = 0; i < args.size(); i++) {
      String a = args.get(i);
      if (switches.contains(a)) {
        o.flags.add(a);
      } else if (withValue.contains(a)) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          throw new UsageException(a + " needs a value");
        }
        o.values.computeIfAbsent(a, k -> new ArrayList<>()).add(args.get(++i));
      } else {
        throw new UsageException("unknown option '" + a + "'");
      }
    }
    return o;
  }

  boolean flag(String name) {
    return flags.contains(name);
  }

  /** The value of a single-valued option, or {@code fallback}. */
  String value(String name, String fallback) {
    List<String> v = values.getOrDefault(name, List.of());
    if (v.size() > 1) {
      throw new UsageException(name + " given more than once");
    }
    return v.isEmpty() ? fallback : v.get(0);
  }

  String required(String name) {
    String v = value(name, null);
    if (v == null) {
      throw new UsageException(name + " is required");
    }
    return v;
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  int intValue(String name, int fallback) {
    String v = value(name, null);
    if (v == null) {
      return fallback;
    }
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new UsageException(name + ": expected a number, not '" + v + "'");
    }
  }

  /** A command line the user has to correct; the message says what is wrong. */
  static final class UsageException extends RuntimeException {
    UsageException(String message) {
      super(message);
    }
  }
}
