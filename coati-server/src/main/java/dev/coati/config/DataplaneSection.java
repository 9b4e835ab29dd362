package dev.coati.config;

import java.util.Set;

/**
 * The {@code dataplane:} section: the TUN device's name (1 to 15 characters), the gateway's address
 * and prefix on it (the prefix routes the clients' addresses), and the MTU (576 to 9000).
 */
final class DataplaneSection {
  private DataplaneSection() {}

  static GatewayConfig.Tun parse(YamlNode n) throws ConfigException {
    String name = "coati0";
    String address = null;
    int mtu = 1400;
    for (YamlNode e : n.entries(Set.of("tun", "address", "mtu"))) {
      switch (e.key()) {
        case "tun" -> {
          name = e.string();
          if (name.isEmpty() || name.length() > 15) {
            throw e.error("an interface name has 1 to 15 characters");
          }
        }
        case "address" -> address = ConfigLoader.subnets(e).get(0);
        default -> {
          mtu = e.integer(576, 9000, "the TUN device's MTU in bytes");
        }
      }
    }
    if (address == null) {
      throw n.error(
          "the TUN device needs address: (the gateway's address and prefix, e.g. 10.99.99.1/24)");
    }
    int slash = address.indexOf('/');
    return new GatewayConfig.Tun(
        name, address.substring(0, slash), Integer.parseInt(address.substring(slash + 1)), mtu);
  }
}
