package dev.coati.ppp.wire;

import java.util.HashMap;
import java.util.Map;

/** PPP protocol field value (RFC 1661 section 2, IANA "PPP DLL Protocol Numbers"); open. */
public record PppProtocol(int number) {
  private static final Map<Integer, String> NAMES = new HashMap<>();

  public static final PppProtocol IPV4 = named(0x0021, "IPv4");
  public static final PppProtocol IPV6 = named(0x0057, "IPv6");
  public static final PppProtocol IPCP = named(0x8021, "IPCP");
  public static final PppProtocol IPV6CP = named(0x8057, "IPV6CP");
  public static final PppProtocol CCP = named(0x80fd, "CCP");
  public static final PppProtocol LCP = named(0xc021, "LCP");
  public static final PppProtocol PAP = named(0xc023, "PAP");
  public static final PppProtocol CBCP = named(0xc029, "CBCP");
  public static final PppProtocol CHAP = named(0xc223, "CHAP");

  public PppProtocol {
    if (number < 0 || number > 0xffff) {
      throw new IllegalArgumentException("protocol out of range: " + number);
    }
  }

  private static PppProtocol named(int number, String name) {
    NAMES.put(number, name);
    return new PppProtocol(number);
  }

  public static PppProtocol valueOf(int number) {
    return new PppProtocol(number);
  }

  /** Network-control protocols are 0x8000-0xbfff, link-layer control 0xc000-0xffff. */
  public boolean isControl() {
    return number >= 0x8000;
  }

  @Override
  public String toString() {
    return NAMES.getOrDefault(number, String.format("PPP(0x%04x)", number));
  }
}
