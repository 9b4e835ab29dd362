package dev.coati.server.cli;

import dev.coati.config.GatewayConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the gateway needs from the system before it starts: the TUN device and CAP_NET_ADMIN for a
 * {@code dataplane:}, CAP_NET_BIND_SERVICE for UDP ports below {@code
 * net.ipv4.ip_unprivileged_port_start}. Checked up front so that the operator reads which one is
 * missing rather than an errno from deep inside.
 */
public final class Capabilities {
  static final int CAP_NET_BIND_SERVICE = 10;
  static final int CAP_NET_ADMIN = 12;

  private Capabilities() {}

  /** What this process lacks to serve {@code config}; empty when nothing. */
  public static List<String> missing(GatewayConfig config) {
    return missing(
        config, effective(), Files.exists(Path.of("/dev/net/tun")), unprivilegedPortStart());
  }

  static List<String> missing(
      GatewayConfig config, long capEff, boolean tunDevice, int unprivilegedPortStart) {
    List<String> out = new ArrayList<>();
    if (config.tun() != null) {
      if (!tunDevice) {
        out.add(
            "the TUN device /dev/net/tun is missing (the data plane's "
                + config.tun().name()
                + "): load the module with modprobe tun, or in a container pass"
                + " --device /dev/net/tun");
      }
      if ((capEff & (1L << CAP_NET_ADMIN)) == 0) {
        out.add(
            "CAP_NET_ADMIN is missing (to create TUN "
                + config.tun().name()
                + "): run as root (sudo ./coati run ...) or grant it"
                + " (systemd AmbientCapabilities=CAP_NET_ADMIN)");
      }
    }
    int low = Math.min(config.ikePort(), config.natTPort());
    if (low < unprivilegedPortStart && (capEff & (1L << CAP_NET_BIND_SERVICE)) == 0) {
      out.add(
          "CAP_NET_BIND_SERVICE is missing (to bind UDP "
              + low
              + "): run as root or grant it (systemd AmbientCapabilities=CAP_NET_BIND_SERVICE)");
    }
    return out;
  }

  /** The effective capability set (CapEff of /proc/self/status); all set if unreadable. */
  static long effective() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("CapEff:")) {
          return Long.parseUnsignedLong(line.substring(7).trim(), 16);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // not Linux, or a /proc we cannot read: let the system calls speak for themselves
    }
    return -1L;
  }

  private static int unprivilegedPortStart() {
    try {
      // readAllLines, not readString: on this procfs file readString returns only "1" of "1024"
      return Integer.parseInt(
          Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_unprivileged_port_start"))
              .get(0)
              .trim());
    } catch (IOException | NumberFormatException | IndexOutOfBoundsException e) {
      return 1024;
    }
  }
}
