package dev.coati.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * The {@code users:} section: where credentials are checked.
 *
 * <pre>
 * users:
 *   source: local               # local (the users file), radius, or local-then-radius
 *   file: users.txt             # needed unless source is radius
 * </pre>
 */
final class UsersSection {
  private UsersSection() {}

  /** The parsed section; {@code node} for errors found when cross-checking with radius:. */
  record Users(Path file, GatewayConfig.UserSource source, YamlNode node) {}

  static Users parse(YamlNode n, Path dir) throws ConfigException {
    Path file = null;
    GatewayConfig.UserSource source = GatewayConfig.UserSource.LOCAL;
    for (YamlNode e : n.entries(Set.of("file", "source"))) {
      if (e.key().equals("source")) {
        source =
            switch (e.string().strip()) {
              case "local" -> GatewayConfig.UserSource.LOCAL;
              case "radius" -> GatewayConfig.UserSource.RADIUS;
              case "local-then-radius" -> GatewayConfig.UserSource.LOCAL_THEN_RADIUS;
              default ->
                  throw e.error(
                      "unknown users source '"
                          + e.string()
                          + "': expected local, radius or local-then-radius");
            };
        continue;
      }
      String name = e.string().strip();
      if (name.isEmpty()) {
        throw e.error("expected the users file's name, e.g. users.txt (relative to this file)");
      }
      Path p = dir.resolve(name).normalize();
      if (p.getParent() == null || Files.isDirectory(p)) { // "/" has no parent (found by fuzzing)
        throw e.error(p + " is a directory; name a file such as users.txt");
      }
      if (!Files.isDirectory(p.getParent())) {
        throw e.error("the directory " + p.getParent() + " does not exist");
      }
      file = p;
    }
    if (file == null && source != GatewayConfig.UserSource.RADIUS) {
      throw n.error(
          "the users section needs file: (e.g. users: { file: users.txt }), or source: radius");
    }
    return new Users(file, source, n);
  }

  /** RADIUS as a source needs the radius: section. */
  static void check(Users users, GatewayConfig.RadiusConfig radius) throws ConfigException {
    if (users != null && users.source() != GatewayConfig.UserSource.LOCAL && radius == null) {
      throw users.node().error("users from RADIUS need a radius: section with servers:");
    }
  }
}
