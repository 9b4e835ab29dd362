package dev.coati.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The {@code events:} section: the JSON event log and the up/down hooks.
 *
 * <pre>
 * events:
 *   json_log: /var/log/coati/events.jsonl   # one JSON object a line: up, down, auth_failed
 *   up_script: /etc/coati/up.sh             # run when a user's session gets its address
 *   down_script: /etc/coati/down.sh         # run when it ends
 *   hook_timeout: 10s                       # a script running longer is killed
 * </pre>
 */
final class EventsSection {
  private EventsSection() {}

  static GatewayConfig.EventsConfig parse(YamlNode n, Path dir) throws ConfigException {
    Path json = null;
    Path up = null;
    Path down = null;
    long timeout = 10;
    for (YamlNode e : n.entries(Set.of("json_log", "up_script", "down_script", "hook_timeout"))) {
      switch (e.key()) {
        case "json_log" -> {
          json = dir.resolve(e.string().strip()).normalize();
          if (json.getParent() == null || Files.isDirectory(json)) {
            throw e.error(json + " is a directory; name a file such as events.jsonl");
          }
          if (!Files.isDirectory(json.getParent())) {
            throw e.error("the directory " + json.getParent() + " does not exist; create it first");
          }
        }
        case "up_script" -> up = script(e, dir);
        case "down_script" -> down = script(e, dir);
        default -> {
          timeout = e.seconds();
          if (timeout < 1 || timeout > 300) {
            throw e.error("expected a hook timeout between 1s and 300s");
          }
        }
      }
    }
    return new GatewayConfig.EventsConfig(json, up, down, timeout);
  }

  private static Path script(YamlNode e, Path dir) throws ConfigException {
    Path p = dir.resolve(e.string().strip()).normalize();
    if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
      throw e.error(p + " is not an executable file (chmod 755 it, with a #! line)");
    }
    return p;
  }
}
