package dev.coati.config;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The {@code control:} section: the operators' UNIX socket ({@code socket}, an absolute path or one
 * relative to the configuration's directory), its {@code mode} (octal, e.g. "0660"; owner read and
 * write are required) and the {@code group} that owns it.
 */
public final class ControlSection {
  private ControlSection() {}

  static GatewayConfig.Control parse(YamlNode n, Path dir) throws ConfigException {
    GatewayConfig.Control d = GatewayConfig.Control.DEFAULT;
    Path socket = d.socket();
    int mode = d.mode();
    String group = null;
    for (YamlNode e : n.entries(Set.of("socket", "mode", "group"))) {
      switch (e.key()) {
        case "socket" -> socket = socketPath(e, dir);
        case "mode" -> mode = mode(e);
        default -> {
          group = e.string().trim();
          if (!group.matches("[A-Za-z_][A-Za-z0-9_.-]{0,31}")) {
            throw e.error("expected a group name such as coati");
          }
        }
      }
    }
    return new GatewayConfig.Control(socket, mode, group);
  }

  private static Path socketPath(YamlNode e, Path dir) throws ConfigException {
    String s = e.string().trim();
    if (s.isEmpty() || s.endsWith("/")) {
      throw e.error("expected the socket's file name, e.g. /run/coati/coati.sock");
    }
    Path p = dir.resolve(s).normalize();
    if (p.toString().getBytes(StandardCharsets.UTF_8).length > 107) {
      throw e.error("a UNIX socket path has at most 107 bytes");
    }
    return p;
  }

  /** "0660", "660" or "0o660": octal, at most 0777, owner rw required. */
  static int mode(YamlNode e) throws ConfigException {
    String s = e.string().trim().toLowerCase(Locale.ROOT).replaceFirst("^0o", "");
    if (s.matches("[0-7]{3,4}")) {
      int m = Integer.parseInt(s, 8);
      if (m <= 0777 && (m & 0600) == 0600) {
        return m;
      }
    }
    throw e.error("expected an octal mode like \"0600\" or \"0660\" (the owner needs rw)");
  }

  /**
   * Only the control socket of a configuration (for {@code coati status --config FILE}): the rest
   * of the file is not validated, so an operator who cannot read the secrets still finds it.
   */
  public static GatewayConfig.Control of(Path file) throws ConfigException {
    YamlNode root = YamlNode.read(file);
    if (root.node() instanceof MappingNode m) {
      for (NodeTuple t : m.getValue()) {
        if (t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("control")) {
          return parse(
              new YamlNode(root.file(), "control", t.getValueNode(), root.accepted()),
              file.toAbsolutePath().getParent());
        }
      }
    }
    return GatewayConfig.Control.DEFAULT;
  }
}
