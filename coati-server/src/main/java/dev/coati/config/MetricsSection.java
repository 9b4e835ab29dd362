package dev.coati.config;

import dev.coati.util.Ipv4Address;
import java.util.Set;

/** The {@code metrics:} section: where the Prometheus endpoint listens. */
final class MetricsSection {
  private MetricsSection() {}

  /**
   * {@code metrics: { listen: 127.0.0.1:9465 }}: the Prometheus endpoint (off without it). An
   * address other than loopback is allowed (a scraper elsewhere) but must be written out.
   */
  static String parse(YamlNode n) throws ConfigException {
    String listen = "127.0.0.1:9465";
    for (YamlNode e : n.entries(Set.of("listen"))) {
      listen = e.string().strip();
      int colon = listen.lastIndexOf(':');
      boolean ok = colon > 0 && ipv4(listen.substring(0, colon));
      int port = -1;
      try {
        port = ok ? Integer.parseInt(listen.substring(colon + 1)) : -1;
      } catch (NumberFormatException x) {
        ok = false;
      }
      if (!ok || port < 1 || port > 65535) {
        throw e.error("expected ADDRESS:PORT such as 127.0.0.1:9465, not '" + listen + "'");
      }
    }
    return listen;
  }

  private static boolean ipv4(String s) {
    try {
      Ipv4Address.parse(s);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
