package dev.coati.config;

import dev.coati.pool.PoolRange;
import dev.coati.util.Ipv4Address;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code remote_access:} section: road warriors with PSK + Xauth and mode config.
 *
 * <pre>
 * remote_access:
 *   auth: [psk-xauth]            # psk-xauth | hybrid-rsa | rsa-xauth | rsa (certificate only)
 *   pool: 10.99.99.0/24          # or 10.99.99.10-10.99.99.200; inside dataplane.address's prefix
 *   dns: [10.99.99.1]
 *   nbns: []
 *   domain: corp.example
 *   banner: motd.txt             # file, relative to the configuration
 *   split_include: [10.0.0.0/8]  # Cisco Unity split tunnelling (empty: all traffic)
 *   split_dns: [corp.example]    # Cisco Unity: names resolved through the tunnel's DNS
 *   mode_config: pull            # pull (answer REQUEST) | push (SET after Xauth)
 *   save_password: false
 *   xauth_attempts: 3
 *   idle_timeout: 30m            # no traffic from a client this long: SA deleted (0: never)
 * </pre>
 */
final class RemoteAccessSection {
  private static final Set<String> KEYS =
      Set.of(
          "auth",
          "pool",
          "dns",
          "nbns",
          "domain",
          "banner",
          "split_include",
          "mode_config",
          "save_password",
          "xauth_attempts",
          "split_dns",
          "idle_timeout");

  private RemoteAccessSection() {}

  static GatewayConfig.RemoteAccessConfig parse(YamlNode n, Path dir) throws ConfigException {
    String pool = null;
    List<String> auth = List.of("psk-xauth");
    List<String> dns = List.of();
    List<String> nbns = List.of();
    String domain = null;
    String banner = null;
    List<String> split = List.of();
    boolean push = false;
    boolean savePassword = false;
    int attempts = 3;
    List<String> splitDns = List.of();
    long idle = 0;
    for (YamlNode e : n.entries(KEYS)) {
      switch (e.key()) {
        case "auth" -> auth = methods(e);
        case "pool" -> pool = pool(e);
        case "dns" -> dns = addresses(e);
        case "nbns" -> nbns = addresses(e);
        case "domain" -> domain = e.string();
        case "banner" -> banner = banner(e, dir);
        case "split_include" -> split = ConfigLoader.subnets(e);
        case "mode_config" -> push = modeConfig(e);
        case "save_password" -> savePassword = e.bool();
        case "split_dns" -> splitDns = e.strings();
        case "idle_timeout" -> idle = e.seconds();
        default -> {
          attempts = e.integer(1, 10, "the Xauth attempts per connection");
        }
      }
    }
    if (pool == null) {
      throw n.error("remote access needs pool: (e.g. pool: 10.99.99.0/24)");
    }
    return new GatewayConfig.RemoteAccessConfig(
        auth, pool, dns, nbns, domain, banner, split, push, savePassword, attempts, splitDns, idle);
  }

  private static List<String> methods(YamlNode e) throws ConfigException {
    List<String> out = e.strings();
    for (String m : out) {
      if (!Set.of("psk-xauth", "hybrid-rsa", "rsa-xauth", "rsa").contains(m)) {
        throw e.error(
            "unknown method '" + m + "': expected psk-xauth, hybrid-rsa, rsa-xauth or rsa");
      }
    }
    return out;
  }

  private static String pool(YamlNode e) throws ConfigException {
    String s = e.string().strip();
    try {
      PoolRange.parse(s);
    } catch (IllegalArgumentException x) {
      throw e.error(
          x.getMessage() + " (write a CIDR like 10.99.99.0/24 or a range a.b.c.d-e.f.g.h)");
    }
    return s;
  }

  private static List<String> addresses(YamlNode e) throws ConfigException {
    List<String> out = new ArrayList<>();
    for (YamlNode a : e.list()) {
      out.add(a.ipv4("10.99.99.1"));
    }
    return out;
  }

  private static String banner(YamlNode e, Path dir) throws ConfigException {
    Path p = dir.resolve(e.string().strip()).normalize();
    try {
      String text = Files.readString(p, StandardCharsets.UTF_8);
      if (text.length() > 4000) {
        throw e.error("the banner " + p + " is longer than 4000 characters");
      }
      return text;
    } catch (IOException x) {
      throw e.error("cannot read the banner file " + p + ": " + x.getMessage());
    }
  }

  private static boolean modeConfig(YamlNode e) throws ConfigException {
    return switch (e.string().toLowerCase(Locale.ROOT)) {
      case "pull" -> false;
      case "push" -> true;
      default -> throw e.error("expected pull (the client asks) or push (the gateway sets)");
    };
  }

  /** Cross-checks with the other sections: users to check, a TUN device routing the pool. */
  static void check(
      GatewayConfig.RemoteAccessConfig ra,
      YamlNode node,
      boolean haveUsers,
      GatewayConfig.Tun tun,
      GatewayConfig.Pki pki)
      throws ConfigException {
    boolean clientCerts = ra.auth().contains("rsa-xauth") || ra.auth().contains("rsa");
    boolean certs = ra.auth().contains("hybrid-rsa") || clientCerts;
    if (certs && (pki == null || pki.certificate() == null)) {
      throw node.error(
          "hybrid-rsa and rsa-xauth need the gateway's certificate: add gateway.certificate and"
              + " gateway.private_key (coati pki server makes them)");
    }
    if (clientCerts && pki.verifier() == null) {
      throw node.error("rsa-xauth and rsa check client certificates: add gateway.ca: [ca.pem]");
    }
    if (!haveUsers) {
      throw node.error(
          "remote access needs users to check Xauth against: add users: { file: ... } or"
              + " users: { source: radius }");
    }
    if (tun == null) {
      throw node.error(
          "remote access needs the data plane: add dataplane: { tun: coati0, address: ... } whose"
              + " prefix covers the pool");
    }
    PoolRange range = PoolRange.parse(ra.pool());
    Ipv4Address gw = Ipv4Address.parse(tun.address());
    long mask = tun.prefix() == 0 ? 0 : (0xffffffffL << (32 - tun.prefix())) & 0xffffffffL;
    if ((range.first().unsigned() & mask) != (gw.unsigned() & mask)
        || (range.last().unsigned() & mask) != (gw.unsigned() & mask)) {
      throw node.error(
          "the pool "
              + ra.pool()
              + " lies outside dataplane.address "
              + tun.address()
              + "/"
              + tun.prefix()
              + ": the TUN device would not route the clients' addresses");
    }
  }
}
