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
