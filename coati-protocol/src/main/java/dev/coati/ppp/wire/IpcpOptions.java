package dev.coati.ppp.wire;

import dev.coati.util.Ipv4Address;

/**
 * IPCP option types: IP-Address (RFC 1332 section 3.3) and the Microsoft DNS/NBNS server addresses
 * (RFC 1877: 129 primary DNS, 130 primary NBNS, 131 secondary DNS, 132 secondary NBNS).
 */
public final class IpcpOptions {
  public static final int IP_COMPRESSION = 2;
  public static final int IP_ADDRESS = 3;
  public static final int PRIMARY_DNS = 129;
  public static final int PRIMARY_NBNS = 130;
  public static final int SECONDARY_DNS = 131;
  public static final int SECONDARY_NBNS = 132;

  public static final Ipv4Address UNSPECIFIED = new Ipv4Address(0);

  private IpcpOptions() {}

  public static PppOption address(int type, Ipv4Address a) {
    return new PppOption(type, a.bytes());
  }

  public static PppOption ipAddress(Ipv4Address a) {
    return address(IP_ADDRESS, a);
  }

  /** The address of an IP-Address or RFC 1877 option (4 octets). */
  public static Ipv4Address addressOf(PppOption o) {
    return new Ipv4Address((int) o.unsigned(4));
  }

  /** True for the four RFC 1877 server-address options. */
  public static boolean isServerAddress(int type) {
    return type >= PRIMARY_DNS && type <= SECONDARY_NBNS;
  }
}
