package dev.coati.ike;

import dev.coati.util.Hex;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Known IKEv1 Vendor IDs. Values are the published MD5 hashes (RFC 3706 for DPD, RFC 3947 and the
 * draft-ietf-ipsec-nat-t-ike-0x documents for NAT-T; the others as recorded by strongSwan's
 * isakmp_vendor.c and Wireshark's packet-isakmp.c vendor table). Some IDs are prefixes followed by
 * version bytes (DPD's minor version, MS NT5's Windows version, FRAGMENTATION's capability flags).
 */
public final class VendorIds {
  private record Known(PeerFeature feature, byte[] prefix, boolean prefixOnly) {}

  public static final byte[] DPD = Hex.decode("afcad71368a1f1c96b8696fc77570100");
  public static final byte[] NAT_T_RFC3947 = Hex.decode("4a131c81070358455c5728f20e95452f");
  public static final byte[] NAT_T_DRAFT_02N = Hex.decode("90cb80913ebb696e086381b5ec427b1f");
  public static final byte[] NAT_T_DRAFT_02 = Hex.decode("cd60464335df21f87cfdb2fc68b6a448");
  public static final byte[] NAT_T_DRAFT_03 = Hex.decode("7d9419a65310ca6f2c179d9215529d56");
  public static final byte[] XAUTH = Hex.decode("09002689dfd6b712");
  public static final byte[] CISCO_UNITY = Hex.decode("12f5f28c457168a9702d9fe274cc0100");
  public static final byte[] FRAGMENTATION = Hex.decode("4048b7d56ebce88525e7de7f00d6c2d3");

  private static final List<Known> KNOWN =
      List.of(
          new Known(PeerFeature.DPD, DPD, false),
          new Known(PeerFeature.NAT_T_RFC3947, NAT_T_RFC3947, false),
          new Known(
              PeerFeature.NAT_T_DRAFT_00, Hex.decode("4485152d18b6bbcd0be8a8469579ddcc"), false),
          new Known(
              PeerFeature.NAT_T_DRAFT_01, Hex.decode("16f6ca16e4a4066d83821a0f0aeaa862"), false),
          new Known(PeerFeature.NAT_T_DRAFT_02, NAT_T_DRAFT_02, false),
          new Known(PeerFeature.NAT_T_DRAFT_02N, NAT_T_DRAFT_02N, false),
          new Known(PeerFeature.NAT_T_DRAFT_03, NAT_T_DRAFT_03, false),
          new Known(PeerFeature.NAT_T_DRAFT, Hex.decode("4df37928e9fc4fd1b3262170d515c662"), false),
          new Known(PeerFeature.XAUTH, XAUTH, false),
          new Known(PeerFeature.CISCO_UNITY, Hex.decode("12f5f28c457168a9702d9fe274cc"), true),
          new Known(PeerFeature.FRAGMENTATION, FRAGMENTATION, true),
          new Known(
              PeerFeature.MS_NT5_ISAKMPOAKLEY,
              Hex.decode("1e2b516905991c7d7c96fcbfb587e461"),
              true),
          new Known(
              PeerFeature.MS_NEGOTIATION_DISCOVERY,
              Hex.decode("fb1de3cdf341b7ea16b7e5be0855f120"),
              false),
          new Known(
              PeerFeature.MS_INITIAL_CONTACT,
              Hex.decode("26244d38eddb61b3172a36e3d0cfb819"),
              false),
          new Known(PeerFeature.MS_CGA, Hex.decode("e3a5966a76379fe707228231e5ce8652"), false),
          new Known(PeerFeature.STRONGSWAN, Hex.decode("882fe56d6fd20dbc2251613b2ebe5beb"), false));

  private VendorIds() {}

  /** The feature a Vendor ID announces, if we know it. */
  public static Optional<PeerFeature> recognise(byte[] vid) {
    for (Known k : KNOWN) {
      if (k.prefixOnly ? startsWith(vid, k.prefix) : Arrays.equals(vid, k.prefix)) {
        return Optional.of(k.feature);
      }
    }
    return Optional.empty();
  }

  /** All features announced by a list of Vendor ID payload bodies. */
  public static Set<PeerFeature> recogniseAll(List<byte[]> vids) {
    Set<PeerFeature> out = EnumSet.noneOf(PeerFeature.class);
    for (byte[] v : vids) {
      recognise(v).ifPresent(out::add);
    }
    return out;
  }

  /** The Windows version number carried after the MS NT5 ISAKMPOAKLEY prefix, or -1. */
  public static int microsoftVersion(byte[] vid) {
    if (vid.length == 20 && recognise(vid).orElse(null) == PeerFeature.MS_NT5_ISAKMPOAKLEY) {
      return ((vid[16] & 0xff) << 24)
          | ((vid[17] & 0xff) << 16)
          | ((vid[18] & 0xff) << 8)
          | (vid[19] & 0xff);
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, byte[] prefix) {
    return b.length >= prefix.length
        && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
  }
}
