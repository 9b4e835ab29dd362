package dev.coati.config;

import dev.coati.crypto.Secret;
import dev.coati.util.Ipv4Address;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The {@code radius:} section: the RADIUS servers for users ({@code users.source}) and accounting.
 *
 * <pre>
 * radius:
 *   servers:                              # tried in order; the next when one does not answer
 *     - { address: 10.0.0.5, port: 1812, acct_port: 1813, secret_file: radius-secret.txt }
 *   timeout: 3s                           # per transmission
 *   retries: 2                            # retransmissions per server
 *   nas_identifier: coati                 # NAS-Identifier in every request
 *   accounting: false                     # Accounting-Request Start/Stop to acct_port
 *   require_message_authenticator: false  # drop answers without one (BlastRADIUS)
 * </pre>
 */
final class RadiusSection {
  private static final Set<String> KEYS =
      Set.of(
          "servers",
          "timeout",
          "retries",
          "nas_identifier",
          "accounting",
          "require_message_authenticator");
  private static final Set<String> SERVER_KEYS =
      Set.of("address", "port", "acct_port", "secret_file");

  private RadiusSection() {}

  static GatewayConfig.RadiusConfig parse(YamlNode n, Path dir) throws ConfigException {
    List<GatewayConfig.RadiusServer> servers = new ArrayList<>();
    long timeout = 3;
    int retries = 2;
    String nas = "coati";
    boolean accounting = false;
    boolean requireMa = false;
    for (YamlNode e : n.entries(KEYS)) {
      switch (e.key()) {
        case "servers" -> {
          for (YamlNode s : e.list()) {
            servers.add(server(s, dir));
          }
        }
        case "timeout" -> {
          timeout = e.seconds();
          if (timeout < 1 || timeout > 60) {
            throw e.error("expected a timeout of 1s to 60s");
          }
        }
        case "retries" -> {
          try {
            retries = Integer.parseInt(e.string().strip());
          } catch (NumberFormatException x) {
            retries = -1;
          }
          if (retries < 0 || retries > 10) {
            throw e.error("expected 0 to 10 retransmissions");
          }
        }
        case "nas_identifier" -> {
          nas = e.string().strip();
          if (nas.isEmpty() || nas.length() > 64) {
            throw e.error("a NAS-Identifier has 1 to 64 characters");
          }
        }
        case "accounting" -> accounting = e.bool();
        default -> requireMa = e.bool();
      }
    }
    if (servers.isEmpty()) {
      throw n.error(
          "radius needs servers: (e.g. [{address: 10.0.0.5, secret_file: radius-secret.txt}])");
    }
    return new GatewayConfig.RadiusConfig(
        List.copyOf(servers), timeout, retries, nas, accounting, requireMa);
  }

  private static GatewayConfig.RadiusServer server(YamlNode s, Path dir) throws ConfigException {
    String address = null;
    int port = 1812;
    int acctPort = 0;
    Secret secret = null;
    for (YamlNode e : s.entries(SERVER_KEYS)) {
      switch (e.key()) {
        case "address" -> {
          address = e.string().strip();
          try {
            Ipv4Address.parse(address);
          } catch (IllegalArgumentException x) {
            throw e.error("expected the server's IPv4 address, not '" + address + "'");
          }
        }
        case "port" -> port = e.port();
        case "acct_port" -> acctPort = e.port();
        default -> secret = ConfigLoader.secretFile(e, dir);
      }
    }
    if (address == null || secret == null) {
      throw s.error("a RADIUS server needs address: and secret_file: (mode 0600)");
    }
    return new GatewayConfig.RadiusServer(
        address, port, acctPort == 0 ? Math.min(65535, port + 1) : acctPort, secret);
  }
}
