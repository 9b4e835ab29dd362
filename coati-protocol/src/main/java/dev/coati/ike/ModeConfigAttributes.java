package dev.coati.ike;

import dev.coati.ike.wire.Attribute;
import dev.coati.ike.wire.CfgAttr;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A client's configuration as mode config attributes (draft-dukes-ike-mode-cfg-02 section 3.2) plus
 * the Cisco Unity ones: banner, default domain, split include (14-byte entries: network, netmask,
 * then protocol and ports left zero), save password.
 */
final class ModeConfigAttributes {
  static final String APPLICATION_VERSION = "coati";

  private ModeConfigAttributes() {}

  /**
   * The attributes for {@code cfg}: those the client asked for ({@code asked}; null: everything, as
   * in a push), Unity ones only when {@code unity}. The address and netmask always go along.
   */
  static List<Attribute> encode(RemoteAccess.ClientConfig cfg, Set<Integer> asked, boolean unity) {
    List<Attribute> out = new ArrayList<>();
    if (cfg.address() != null) {
      out.add(Attribute.tlv(CfgAttr.INTERNAL_IP4_ADDRESS, cfg.address()));
      if (wants(asked, CfgAttr.INTERNAL_IP4_NETMASK)) {
        out.add(Attribute.tlv(CfgAttr.INTERNAL_IP4_NETMASK, netmask(cfg.prefix())));
      }
    }
    if (wants(asked, CfgAttr.INTERNAL_IP4_DNS)) {
      for (byte[] d : cfg.dns()) {
        out.add(Attribute.tlv(CfgAttr.INTERNAL_IP4_DNS, d));
      }
    }
    if (wants(asked, CfgAttr.INTERNAL_IP4_NBNS)) {
      for (byte[] n : cfg.nbns()) {
        out.add(Attribute.tlv(CfgAttr.INTERNAL_IP4_NBNS, n));
      }
    }
    if (asked != null && asked.contains(CfgAttr.APPLICATION_VERSION)) {
      out.add(
          Attribute.tlv(
              CfgAttr.APPLICATION_VERSION, APPLICATION_VERSION.getBytes(StandardCharsets.UTF_8)));
    }
    if (!unity) {
      return out;
    }
    if (cfg.banner() != null && wants(asked, CfgAttr.UNITY_BANNER)) {
      out.add(Attribute.tlv(CfgAttr.UNITY_BANNER, cfg.banner().getBytes(StandardCharsets.UTF_8)));
    }
    if (cfg.defaultDomain() != null && wants(asked, CfgAttr.UNITY_DEF_DOMAIN)) {
      out.add(
          Attribute.tlv(
              CfgAttr.UNITY_DEF_DOMAIN, cfg.defaultDomain().getBytes(StandardCharsets.UTF_8)));
    }
    if (!cfg.splitInclude().isEmpty() && wants(asked, CfgAttr.UNITY_SPLIT_INCLUDE)) {
      out.add(Attribute.tlv(CfgAttr.UNITY_SPLIT_INCLUDE, splitInclude(cfg.splitInclude())));
    }
    if (!cfg.splitDns().isEmpty() && wants(asked, CfgAttr.UNITY_SPLITDNS_NAME)) {
      out.add(
          Attribute.tlv(
              CfgAttr.UNITY_SPLITDNS_NAME,
              String.join(",", cfg.splitDns()).getBytes(StandardCharsets.UTF_8)));
    }
    if (wants(asked, CfgAttr.UNITY_PFS)) {
      out.add(Attribute.tv(CfgAttr.UNITY_PFS, cfg.pfs() ? 1 : 0));
    }
    if (wants(asked, CfgAttr.UNITY_SAVE_PASSWD)) {
      out.add(Attribute.tv(CfgAttr.UNITY_SAVE_PASSWD, cfg.savePassword() ? 1 : 0));
    }
    return out;
  }

  /**
   * What a gateway sent (its REPLY or SET) as a client configuration: address, netmask (as a
   * prefix), DNS, NBNS and the Unity banner, default domain, split include and split DNS. Values of
   * the wrong length are skipped; {@code address} is null when none came.
   */
  static RemoteAccess.ClientConfig decode(List<Attribute> attrs) {
    byte[] address = null;
    int prefix = 32;
    List<byte[]> dns = new ArrayList<>();
    List<byte[]> nbns = new ArrayList<>();
    String domain = null;
    String banner = null;
    List<String> split = new ArrayList<>();
    List<String> splitDns = new ArrayList<>();
    boolean save = false;
    boolean pfs = false;
    for (Attribute a : attrs) {
      byte[] v = a.tv() ? null : a.value();
      switch (a.type()) {
        case CfgAttr.INTERNAL_IP4_ADDRESS -> address = v != null && v.length == 4 ? v : address;
        case CfgAttr.INTERNAL_IP4_NETMASK ->
            prefix = v != null && v.length == 4 ? prefix(v) : prefix;
        case CfgAttr.INTERNAL_IP4_DNS -> addIpv4(dns, v);
        case CfgAttr.INTERNAL_IP4_NBNS -> addIpv4(nbns, v);
        case CfgAttr.UNITY_BANNER -> banner = text(v);
        case CfgAttr.UNITY_DEF_DOMAIN -> domain = text(v);
        case CfgAttr.UNITY_SPLIT_INCLUDE -> split.addAll(splitNetworks(v));
        case CfgAttr.UNITY_SPLITDNS_NAME -> splitDns.addAll(names(text(v)));
        case CfgAttr.UNITY_SAVE_PASSWD -> save = a.intValue() == 1;
        case CfgAttr.UNITY_PFS -> pfs = a.intValue() != 0; // racoon sends its pfs_group
        default -> {}
      }
    }
    return new RemoteAccess.ClientConfig(
        address, prefix, dns, nbns, domain, banner, split, save, splitDns, pfs);
  }

  private static void addIpv4(List<byte[]> to, byte[] v) {
    if (v != null && v.length == 4) {
      to.add(v);
    }
  }

  private static String text(byte[] v) {
    if (v == null || v.length == 0) {
      return null;
    }
    int n = v.length;
    while (n > 0 && v[n - 1] == 0) {
      n--; // racoon sends the banner file with a trailing NUL
    }
    return new String(v, 0, n, StandardCharsets.UTF_8);
  }

  private static List<String> names(String s) {
    List<String> out = new ArrayList<>();
    if (s != null) {
      for (String n : s.split(",")) {
        if (!n.isBlank()) {
          out.add(n.strip());
        }
      }
    }
    return out;
  }

  /** The prefix length of a contiguous netmask (a non-contiguous one counts its leading ones). */
  static int prefix(byte[] mask) {
    int m =
        ((mask[0] & 0xff) << 24)
            | ((mask[1] & 0xff) << 16)
            | ((mask[2] & 0xff) << 8)
            | (mask[3] & 0xff);
    return Integer.numberOfLeadingZeros(~m);
  }

  /** Unity split-include entries (14 bytes each) as {@code a.b.c.d/n}. */
  static List<String> splitNetworks(byte[] v) {
    List<String> out = new ArrayList<>();
    if (v == null) {
      return out;
    }
    for (int at = 0; at + 14 <= v.length; at += 14) {
      int p = prefix(new byte[] {v[at + 4], v[at + 5], v[at + 6], v[at + 7]});
      out.add(
          (v[at] & 0xff)
              + "."
              + (v[at + 1] & 0xff)
              + "."
              + (v[at + 2] & 0xff)
              + "."
              + (v[at + 3] & 0xff)
              + "/"
              + p);
    }
    return out;
  }

  private static boolean wants(Set<Integer> asked, int type) {
    return asked == null || asked.contains(type);
  }

  static byte[] netmask(int prefix) {
    int m = prefix == 0 ? 0 : -1 << (32 - prefix);
    return new byte[] {(byte) (m >>> 24), (byte) (m >>> 16), (byte) (m >>> 8), (byte) m};
  }

  /** Networks {@code a.b.c.d/n} as Unity split-include entries. */
  static byte[] splitInclude(List<String> nets) {
    byte[] b = new byte[14 * nets.size()];
    int at = 0;
    for (String n : nets) {
      String[] parts = n.split("/");
      String[] q = parts[0].split("\\.");
      for (int i = 0; i < 4; i++) {
        b[at + i] = (byte) Integer.parseInt(q[i]);
      }
      byte[] mask = netmask(parts.length > 1 ? Integer.parseInt(parts[1]) : 32);
      System.arraycopy(mask, 0, b, at + 4, 4);
      at += 14;
    }
    return b;
  }
}
