package dev.coati.server.cli;

import dev.coati.config.ConfigException;
import dev.coati.config.ConfigLoader;
import dev.coati.config.GatewayConfig;
import dev.coati.crypto.pki.PkiException;
import dev.coati.server.cli.DemoCommand.DemoSecrets;
import dev.coati.server.cli.DemoCommand.Settings;
import dev.coati.util.Ipv4Address;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code coati run} without {@code --config}: the demo gateway of {@code coati demo} (PSK + Xauth,
 * hybrid RSA, L2TP/IPsec, TUN data plane, pool, user {@code demo}) in the state directory, on the
 * machine's primary address (the default route's interface) or {@code --address}. Made on the first
 * start; later starts reuse it (same PSK, user and certificates) and print the settings again.
 */
final class EmbeddedDefault {
  static final String NAME = "vpn.example.com";

  private EmbeddedDefault() {}

  /** The configuration file to start, after printing what to type into each client. */
  static Path prepare(String dirText, String address, PrintStream out, PrintStream err)
      throws CommandException {
    Path dir = Path.of(dirText);
    Path config = dir.resolve(DemoCommand.CONFIG);
    try {
      if (Files.exists(config)) {
        reuse(dirText, config, address, out);
      } else {
        String listen = address != null ? checked(address) : primaryAddress(err);
        Settings s = new Settings(dirText, dir, listen, NAME);
        DemoSecrets secrets = DemoCommand.embedded(out, err).writeEmbedded(s);
        DemoInstructions.print(s, secrets, out, true);
      }
      out.flush();
      return config;
    } catch (IOException | PkiException e) {
      throw new CommandException(1, "the embedded default in " + dir + ": " + e.getMessage());
    }
  }

  private static void reuse(String dirText, Path config, String address, PrintStream out)
      throws IOException, CommandException {
    GatewayConfig c;
    try {
      c = ConfigLoader.load(config);
    } catch (ConfigException e) {
      throw new CommandException(1, e.getMessage());
    }
    String listen = c.listen().get(0);
    if (address != null && !checked(address).equals(listen)) {
      throw new CommandException(
          2,
          dirText
              + " holds a gateway for "
              + listen
              + "; for "
              + address
              + " remove "
              + dirText
              + " (a new PSK and password) or choose another --state-dir");
    }
    Path password = config.resolveSibling(DemoCommand.PASSWORD_FILE);
    if (!Files.exists(password)) {
      out.println(
          "coati: starting "
              + config
              + " (not made by coati run: its secrets are in the files it names)");
      return;
    }
    Settings s =
        new Settings(dirText, Path.of(dirText), listen, c.gatewayId().replaceFirst("^fqdn:", ""));
    DemoSecrets secrets =
        new DemoSecrets(read(config.resolveSibling(DemoCommand.PSK_FILE)), read(password));
    DemoInstructions.print(s, secrets, out, true);
  }

  private static String read(Path p) throws IOException {
    return Files.readString(p, StandardCharsets.UTF_8).strip();
  }

  private static String checked(String address) throws CommandException {
    try {
      return Ipv4Address.parse(address).toString();
    } catch (IllegalArgumentException e) {
      throw new CommandException(2, "--address: expected an IPv4 address such as 192.0.2.1");
    }
  }

  /** The IPv4 address of the default route's interface; 127.0.0.1 (with a note) without one. */
  static String primaryAddress(PrintStream err) {
    Optional<String> a = defaultRouteInterface().flatMap(EmbeddedDefault::ipv4Of);
    if (a.isEmpty()) {
      err.println(
          "coati: no default route with an IPv4 address: listening on 127.0.0.1 (this machine"
              + " only); choose the address with --address");
      return "127.0.0.1";
    }
    return a.get();
  }

  /** The interface of the lowest-metric default route in /proc/net/route. */
  static Optional<String> defaultRouteInterface() {
    try {
      return defaultRouteInterface(Files.readAllLines(Path.of("/proc/net/route")));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static Optional<String> defaultRouteInterface(List<String> routeTable) {
    String best = null;
    long bestMetric = Long.MAX_VALUE;
    for (String line : routeTable.subList(Math.min(1, routeTable.size()), routeTable.size())) {
      String[] f = line.trim().split("\\s+");
      if (f.length > 7 && f[1].equals("00000000") && f[7].equals("00000000")) {
        long metric = Long.parseLong(f[6]);
        if (metric < bestMetric) {
          best = f[0];
          bestMetric = metric;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  private static Optional<String> ipv4Of(String name) {
    try {
      NetworkInterface nif = NetworkInterface.getByName(name);
      if (nif == null) {
        return Optional.empty();
      }
      return nif.inetAddresses()
          .filter(a -> a instanceof Inet4Address)
          .map(InetAddress::getHostAddress)
          .findFirst();
    } catch (SocketException e) {
      return Optional.empty();
    }
  }
}
