package dev.coati.config;

import dev.coati.crypto.Secret;
import dev.coati.radius.Radius;
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
 *   interim_interval: 0s                  # Accounting Interim-Update period; 0: off, else 60s+
 *   require_message_authenticator: false  # drop answers without one (BlastRADIUS)
 *   framed_ip: optional                   # required: no Framed-IP-Address, no login (shared pool)
 *   dynamic_authorization:                # optional: RFC 5176 Disconnect-Request listener
 *     listen: 10.0.0.1:3799               # IPv4 address[:port], port 3799 by default
 *     clients:                            # who may send Disconnect-Request; at least one
 *       - { address: 10.0.0.5, secret_file: dae-secret.txt }
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
          "interim_interval",
          "require_message_authenticator",
          "dynamic_authorization",
          "framed_ip");
  private static final Set<String> SERVER_KEYS =
      Set.of("address", "port", "acct_port", "secret_file");
  private static final Set<String> CLIENT_KEYS = Set.of("address", "secret_file");

  private RadiusSection() {}

  static GatewayConfig.RadiusConfig parse(YamlNode n, Path dir) throws ConfigException {
    List<GatewayConfig.RadiusServer> servers = new ArrayList<>();
    long timeout = 3;
    int retries = 2;
    String nas = "coati";
    boolean accounting = false;
    boolean requireMa = false;
    long interim = 0;
    GatewayConfig.DynamicAuthorization dae = null;
    boolean framedIpRequired = false;
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
        case "interim_interval" -> {
          interim = e.seconds();
          if (interim < 0 || (interim > 0 && interim < 60)) {
            throw e.error("expected 0s (no Interim-Update) or an interval of at least 60s");
          }
        }
        case "dynamic_authorization" -> dae = dynamicAuthorization(e, dir);
        case "framed_ip" -> framedIpRequired = framedIp(e);
        default -> requireMa = e.bool();
      }
    }
    if (servers.isEmpty()) {
      throw n.error(
          "radius needs servers: (e.g. [{address: 10.0.0.5, secret_file: radius-secret.txt}])");
    }
    return new GatewayConfig.RadiusConfig(
        List.copyOf(servers),
        timeout,
        retries,
        nas,
        accounting,
        requireMa,
        interim,
        dae,
        framedIpRequired);
  }

  /** {@code framed_ip: required | optional}: true for required. */
  private static boolean framedIp(YamlNode e) throws ConfigException {
    return switch (e.string().strip()) {
      case "required" -> true;
      case "optional" -> false;
      default ->
          throw e.error(
              "expected required (an Access-Accept without Framed-IP-Address fails the login:"
                  + " RADIUS's pool is shared by several gateways) or optional (this gateway's"
                  + " remote_access.pool then gives the address)");
    };
  }

  /** Whether the section names {@code framed_ip:} at all (else {@code coati check} warns). */
  static boolean framedIpGiven(YamlNode n) throws ConfigException {
    for (YamlNode e : n.entries(KEYS)) {
      if (e.key().equals("framed_ip")) {
        return true;
      }
    }
    return false;
  }

  private static GatewayConfig.RadiusServer server(YamlNode s, Path dir) throws ConfigException {
    String address = null;
    int port = 1812;
    int acctPort = 0;
    Secret secret = null;
    for (YamlNode e : s.entries(SERVER_KEYS)) {
      switch (e.key()) {
        case "address" -> address = ipv4(e, "the server's");
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

  /** {@code dynamic_authorization:}: where to listen (required) and the clients (at least one). */
  private static GatewayConfig.DynamicAuthorization dynamicAuthorization(YamlNode n, Path dir)
      throws ConfigException {
    String address = null;
    int port = Radius.DYNAMIC_AUTHORIZATION_PORT;
    List<GatewayConfig.DaeClient> clients = new ArrayList<>();
    for (YamlNode e : n.entries(Set.of("listen", "clients"))) {
      if (e.key().equals("listen")) {
        String v = e.string().strip();
        int colon = v.indexOf(':');
        address = colon < 0 ? v : v.substring(0, colon);
        try {
          Ipv4Address.parse(address);
          port = colon < 0 ? port : Integer.parseInt(v.substring(colon + 1));
        } catch (IllegalArgumentException x) {
          port = -1;
        }
        if (port < 1 || port > 65535) {
          throw e.error(
              "expected an IPv4 address with an optional UDP port, such as 10.0.0.1:3799, not '"
                  + v
                  + "'");
        }
      } else {
        for (YamlNode c : e.list()) {
          GatewayConfig.DaeClient client = daeClient(c, dir);
          if (clients.stream().anyMatch(x -> x.address().equals(client.address()))) {
            throw c.error(
                "client " + client.address() + " is listed twice; each address has one secret");
          }
          clients.add(client);
        }
      }
    }
    if (address == null) {
      throw n.error(
          "dynamic_authorization needs listen: (the address Disconnect-Request are sent to,"
              + " e.g. 10.0.0.1:3799)");
    }
    if (clients.isEmpty()) {
      throw n.error(
          "dynamic_authorization needs clients: (who may send Disconnect-Request, e.g."
              + " [{address: 10.0.0.5, secret_file: dae-secret.txt}])");
    }
    return new GatewayConfig.DynamicAuthorization(address, port, List.copyOf(clients));
  }

  private static GatewayConfig.DaeClient daeClient(YamlNode c, Path dir) throws ConfigException {
    String address = null;
    Secret secret = null;
    for (YamlNode e : c.entries(CLIENT_KEYS)) {
      if (e.key().equals("address")) {
        address = ipv4(e, "the client's");
      } else {
        secret = ConfigLoader.secretFile(e, dir);
      }
    }
    if (address == null || secret == null) {
      throw c.error(
          "a dynamic authorization client needs address: and secret_file: (mode 0600), e.g."
              + " {address: 10.0.0.5, secret_file: dae-secret.txt}");
    }
    return new GatewayConfig.DaeClient(address, secret);
  }

  /** An IPv4 address value, or an error naming whose it should be. */
  private static String ipv4(YamlNode e, String whose) throws ConfigException {
    String address = e.string().strip();
    try {
      Ipv4Address.parse(address);
      return address;
    } catch (IllegalArgumentException x) {
      throw e.error("expected " + whose + " IPv4 address, not '" + address + "'");
    }
  }
}
