package dev.coati.nativeio.tun;

import java.util.Locale;

/**
 * Whether {@link LinuxTun} opens the device with {@code IFF_VNET_HDR} and asks for {@code
 * TUNSETOFFLOAD(TUN_F_CSUM | TUN_F_TSO4)} (kernel {@code include/uapi/linux/if_tun.h}), so that one
 * read can return a TCP super-packet of up to 64 KB for userspace to segment.
 *
 * <ul>
 *   <li>{@link #OFF}: plain {@code IFF_TUN | IFF_NO_PI}, one MTU-sized packet per read (default);
 *   <li>{@link #ON}: offload or an error naming the failed ioctl;
 *   <li>{@link #AUTO}: offload if the kernel takes it, else plain.
 * </ul>
 *
 * Chosen by the system property {@code coati.tun.offload}, then the environment variable {@code
 * COATI_TUN_OFFLOAD}.
 */
public enum TunOffload {
  OFF,
  ON,
  AUTO;

  /** {@code coati.tun.offload}, then {@code COATI_TUN_OFFLOAD}, then {@link #OFF}. */
  public static TunOffload fromEnvironment() {
    return parse(System.getProperty("coati.tun.offload"), System.getenv("COATI_TUN_OFFLOAD"));
  }

  static TunOffload parse(String property, String env) {
    String v = property != null ? property : env;
    if (v == null || v.isBlank()) {
      return OFF;
    }
    return switch (v.trim().toLowerCase(Locale.ROOT)) {
      case "off", "false", "no" -> OFF;
      case "on", "true", "yes" -> ON;
      case "auto" -> AUTO;
      default ->
          throw new IllegalArgumentException(
              "coati.tun.offload/COATI_TUN_OFFLOAD must be on, off or auto, not '" + v + "'");
    };
  }
}
