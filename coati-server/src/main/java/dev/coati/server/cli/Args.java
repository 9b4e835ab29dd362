package dev.coati.server.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line words split into positionals, flags and {@code --option VALUE} pairs. */
record Args(List<String> positionals, Set<String> flags, Map<String, String> values) {

  static Args parse(List<String> words, Set<String> knownFlags, Set<String> knownValued)
      throws CommandException {
    List<String> pos = new ArrayList<>();
    Set<String> flags = new HashSet<>();
    Map<String, String> values = new HashMap<>();
    for (int i = 0; i < words.size(); i++) {
      String w = words.get(i);
      if (knownFlags.contains(w)) {
        flags.add(w);
      } else if (knownValued.contains(w)) {
        if (i + 1 >= words.size() || words.get(i + 1).startsWith("--")) {
          throw new CommandException(2, w + " needs a value");
        }
        if (values.put(w, words.get(++i)) != null) {
          throw new CommandException(2, w + " given twice");
        }
      } else if (w.startsWith("--")) {
        throw new CommandException(2, "unknown option " + w);
      } else {
        pos.add(w);
      }
    }
    return new Args(pos, flags, values);
  }

  String positional(int i, String what) throws CommandException {
    if (i >= positionals.size()) {
      throw new CommandException(2, "missing " + what);
    }
    return positionals.get(i);
  }

  void expectPositionals(int n) throws CommandException {
    if (positionals.size() > n) {
      throw new CommandException(2, "unexpected argument '" + positionals.get(n) + "'");
    }
  }

  /** Refuses options that {@code verb} does not take. */
  void onlyOptions(String verb, Set<String> allowed) throws CommandException {
    for (String o : flags) {
      if (!allowed.contains(o)) {
        throw new CommandException(2, verb + " does not take " + o);
      }
    }
    for (String o : values.keySet()) {
      if (!allowed.contains(o)) {
        throw new CommandException(2, verb + " does not take " + o);
      }
    }
  }

  boolean has(String flag) {
    return flags.contains(flag);
  }

  String value(String option) {
    return values.get(option);
  }
}
