package dev.coati.config;

import dev.coati.util.Ipv4Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * A YAML node with its dotted key path and line, for typed reads with precise errors. {@code
 * accepted} collects, for the whole file, every key the loader accepts where it looked (as {@code
 * radius.servers[].address}): the reference of keys that docs/CONFIG.md is checked against.
 */
record YamlNode(String file, String path, Node node, Set<String> accepted) {

  /** The root of a YAML file; unreadable, empty or malformed files fail with file and line. */
  static YamlNode read(Path path) throws ConfigException {
    String file = path.toString();
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(file, 0, "", "cannot read the configuration: " + e.getMessage());
    }
    return parse(file, text);
  }

  /** The root of YAML {@code text} read from {@code file}; empty or malformed text fails. */
  static YamlNode parse(String file, String text) throws ConfigException {
    try {
      Node root =
          new Compose(LoadSettings.builder().setLabel(file).build())
              .composeString(text)
              .orElseThrow(() -> new ConfigException(file, 1, "", "the file is empty"));
      duplicates(file, root);
      return new YamlNode(file, "", root, new TreeSet<>());
    } catch (MarkedYamlEngineException e) {
      int line = e.getProblemMark().map(m -> m.getLine() + 1).orElse(0);
      throw new ConfigException(file, line, "", "not valid YAML: " + e.getProblem());
    } catch (YamlEngineException e) {
      throw new ConfigException(file, 0, "", "not valid YAML: " + e.getMessage());
    }
  }

  /**
   * Refuses a key given twice in one mapping, anywhere in the file: YAML keeps only the last one,
   * so a second {@code remote_access:} block would silently replace the first.
   */
  private static void duplicates(String file, Node n) throws ConfigException {
    if (n instanceof MappingNode m) {
      Map<String, Integer> seen = new HashMap<>();
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k) {
          int line = k.getStartMark().map(x -> x.getLine() + 1).orElse(0);
          Integer first = seen.putIfAbsent(k.getValue(), line);
          if (first != null) {
            throw new ConfigException(
                file,
                line,
                k.getValue(),
                "duplicate key (first at line "
                    + first
                    + "): YAML would keep only this one; merge the two");
          }
        }
        duplicates(file, t.getValueNode());
      }
    } else if (n instanceof SequenceNode s) {
      for (Node c : s.getValue()) {
        duplicates(file, c);
      }
    }
  }

  /** A legal-but-likely-wrong setting: {@code file:line: key: warning: message}. */
  String warning(String message) {
    return file + ":" + line() + ": " + (path.isEmpty() ? "" : path + ": ") + "warning: " + message;
  }

  /** An IPv4 address in dotted quad (each part 0-255). */
  String ipv4(String example) throws ConfigException {
    String s = string().strip();
    try {
      return Ipv4Address.parse(s).toString();
    } catch (IllegalArgumentException e) {
      throw error("expected an IPv4 address such as " + example + ", not '" + s + "'");
    }
  }

  /** A whole number from {@code min} to {@code max}; the error names the key and the range. */
  int integer(int min, int max, String unit) throws ConfigException {
    String v = string().strip();
    try {
      int i = Integer.parseInt(v);
      if (i >= min && i <= max) {
        return i;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error(
        "expected " + unit + ": a whole number from " + min + " to " + max + ", not '" + v + "'");
  }

  int line() {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(0);
  }

  ConfigException error(String message) {
    return new ConfigException(file, line(), path, message);
  }

  /** The children of a mapping; unknown keys are refused with the list of known ones. */
  List<YamlNode> entries(Set<String> known) throws ConfigException {
    if (!(node instanceof MappingNode m)) {
      throw error("expected a mapping (key: value lines)");
    }
    String schema = path.replaceAll("\\[\\d+\\]", "[]");
    for (String k : known) {
      accepted.add(schema.isEmpty() ? k : schema + "." + k);
    }
    List<YamlNode> out = new ArrayList<>();
    for (NodeTuple t : m.getValue()) {
      if (!(t.getKeyNode() instanceof ScalarNode k)) {
        throw error("keys must be plain words");
      }
      String child = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
      if (!known.contains(k.getValue())) {
        throw new YamlNode(file, child, t.getKeyNode(), accepted)
            .error(
                "unknown key; known keys here: "
                    + String.join(", ", known.stream().sorted().toList()));
      }
      out.add(new YamlNode(file, child, t.getValueNode(), accepted));
    }
    return out;
  }

  String key() {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? path : path.substring(dot + 1);
  }

  String string() throws ConfigException {
    if (!(node instanceof ScalarNode s)) {
      throw error("expected a single value");
    }
    return s.getValue();
  }

  boolean bool() throws ConfigException {
    String v = string();
    return switch (v) {
      case "true", "yes", "on" -> true;
      case "false", "no", "off" -> false;
      default -> throw error("expected true or false, not '" + v + "'");
    };
  }

  /** A duration: 30s, 45m, 8h, 1d, or plain seconds. */
  long seconds() throws ConfigException {
    String v = string().trim();
    long unit = 1;
    String num = v;
    if (v.matches("\\d+[smhd]")) {
      unit =
          switch (v.charAt(v.length() - 1)) {
            case 'm' -> 60;
            case 'h' -> 3600;
            case 'd' -> 86400;
            default -> 1;
          };
      num = v.substring(0, v.length() - 1);
    }
    try {
      return Math.multiplyExact(Long.parseLong(num), unit);
    } catch (NumberFormatException | ArithmeticException e) {
      throw error("expected a duration like 30s, 45m or 8h, not '" + v + "'");
    }
  }

  /** A traffic volume in kilobytes: 0 (none), 500KB, 200MB, 4GB (powers of 1024). */
  long kilobytes() throws ConfigException {
    String v = string().trim().toUpperCase(Locale.ROOT);
    Matcher m = Pattern.compile("(\\d+)\\s*(KB|MB|GB|TB)?").matcher(v);
    if (m.matches()) {
      long unit =
          switch (m.group(2) == null ? "KB" : m.group(2)) {
            case "MB" -> 1024L;
            case "GB" -> 1024L * 1024;
            case "TB" -> 1024L * 1024 * 1024;
            default -> 1L;
          };
      try {
        return Math.multiplyExact(Long.parseLong(m.group(1)), unit);
      } catch (NumberFormatException | ArithmeticException e) {
        // reported below
      }
    }
    throw error("expected a volume like 500MB or 4GB (0: no limit), not '" + string().trim() + "'");
  }

  /**
   * An inner packet size for ESP fragmentation: 68 (RFC 791's minimum) to 65535 bytes, or 0 for
   * none.
   */
  int fragmentSize() throws ConfigException {
    try {
      int n = Integer.parseInt(string().trim());
      if (n == 0 || (n >= 68 && n <= 65535)) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error(
        "expected the largest inner IP packet in bytes, 68-65535 (e.g. 552, as racoon's"
            + " esp_frag), or 0 for no fragmentation");
  }

  int port() throws ConfigException {
    try {
      int p = Integer.parseInt(string().trim());
      if (p > 0 && p < 65536) {
        return p;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw error("expected a UDP port number (1-65535)");
  }

  /** A list, or a single value taken as a list of one. */
  List<YamlNode> list() throws ConfigException {
    if (node instanceof ScalarNode) {
      return List.of(this);
    }
    if (!(node instanceof SequenceNode s)) {
      throw error("expected a list");
    }
    List<YamlNode> out = new ArrayList<>();
    int i = 0;
    for (Node n : s.getValue()) {
      out.add(new YamlNode(file, path + "[" + i++ + "]", n, accepted));
    }
    return out;
  }

  List<String> strings() throws ConfigException {
    List<String> out = new ArrayList<>();
    for (YamlNode n : list()) {
      out.add(n.string());
    }
    return out;
  }
}
