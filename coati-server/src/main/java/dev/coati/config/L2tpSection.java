package dev.coati.config;

import dev.coati.crypto.Secret;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code l2tp:} section: L2TP/IPsec for the built-in clients of Windows, macOS/iOS, Android and
 * Linux. The users, the pool and the DNS/NBNS servers are those of {@code remote_access:}.
 *
 * <pre>
 * l2tp:
 *   auth: [mschapv2, chap, pap]   # PPP authentication, in order of preference
 *   hello_interval: 60s           # L2TP HELLO after this long without a message (0: never)
 *   lcp_echo_interval: 20s        # LCP Echo-Request after this long without a frame (0: never)
 *   lcp_echo_failures: 3          # unanswered echoes before the session is dead
 *   host_name: coati              # our Host Name AVP (and the CHAP name)
 *   secret_file: l2tp-secret.txt  # optional tunnel secret: every tunnel must authenticate
 *   hide_avps: false              # hide the AVPs we send with the secret (RFC 2661 4.3)
 * </pre>
 */
final class L2tpSection {
  private static final Set<String> KEYS =
      Set.of(
          "auth",
          "hello_interval",
          "lcp_echo_interval",
          "lcp_echo_failures",
          "host_name",
          "secret_file",
          "hide_avps");
  private static final List<String> METHODS = List.of("mschapv2", "chap", "pap");

  private L2tpSection() {}

  static GatewayConfig.L2tpConfig parse(YamlNode n, Path dir) throws ConfigException {
    List<String> auth = METHODS;
    long hello = 60;
    long echo = 20;
    int failures = 3;
    String host = "coati";
    Secret secret = null;
    YamlNode hide = null;
    for (YamlNode e : n.entries(KEYS)) {
      switch (e.key()) {
        case "auth" -> auth = methods(e);
        case "hello_interval" -> hello = e.seconds();
        case "lcp_echo_interval" -> echo = e.seconds();
        case "lcp_echo_failures" -> {
          failures = e.integer(1, 20, "the unanswered LCP echoes before the link is down");
        }
        case "host_name" -> {
          host = e.string().strip();
          if (host.isEmpty() || host.length() > 64) {
            throw e.error("a host name has 1 to 64 characters");
          }
        }
        case "hide_avps" -> hide = e;
        default -> secret = ConfigLoader.secretFile(e, dir);
      }
    }
    boolean hideAvps = hide != null && hide.bool();
    if (hideAvps && secret == null) {
      throw hide.error("hiding AVPs needs the tunnel secret: add secret_file: (mode 0600)");
    }
    return new GatewayConfig.L2tpConfig(auth, hello, echo, failures, host, secret, hideAvps);
  }

  private static List<String> methods(YamlNode e) throws ConfigException {
    List<String> out = new ArrayList<>();
    for (String m : e.strings()) {
      String v = m.toLowerCase(Locale.ROOT).replace("-", "");
      if (!METHODS.contains(v)) {
        throw e.error("unknown PPP authentication '" + m + "': expected mschapv2, chap or pap");
      }
      if (!out.contains(v)) {
        out.add(v);
      }
    }
    if (out.isEmpty()) {
      throw e.error("name at least one PPP authentication: mschapv2, chap or pap");
    }
    return List.copyOf(out);
  }

  /** L2TP serves the users and the pool of remote access. */
  static void check(YamlNode node, GatewayConfig.RemoteAccessConfig ra) throws ConfigException {
    if (ra == null) {
      throw node.error(
          "L2TP needs a remote_access: section (its pool, dns and the users: file serve L2TP"
              + " clients too)");
    }
  }
}
