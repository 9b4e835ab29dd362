package dev.coati.pool;

import dev.coati.util.Ipv4Address;

/**
 * The addresses a pool hands out: a CIDR block ({@code 10.99.99.0/24}, without its network and
 * broadcast addresses when the prefix is 30 or shorter) or an inclusive range ({@code
 * 10.99.99.10-10.99.99.200}).
 */
public record PoolRange(String spec, Ipv4Address first, Ipv4Address last) {
  /** The largest pool accepted (a /16), so the free list stays small. */
  public static final long MAX_SIZE = 65_536;

  public PoolRange {
    if (first.compareTo(last) > 0) {
      throw new IllegalArgumentException("pool " + spec + ": the first address is after the last");
    }
    if (last.unsigned() - first.unsigned() + 1 > MAX_SIZE) {
      throw new IllegalArgumentException(
          "pool " + spec + " is larger than a /16 (65536 addresses); use a smaller range");
    }
  }

  /** Parses {@code a.b.c.d/n} or {@code a.b.c.d-e.f.g.h}; errors say which form is expected. */
  public static PoolRange parse(String spec) {
    String s = spec.strip();
    int slash = s.indexOf('/');
    int dash = s.indexOf('-');
    if (slash > 0) {
      return cidr(s, slash);
    }
    if (dash > 0) {
      return new PoolRange(
          s,
          Ipv4Address.parse(s.substring(0, dash).strip()),
          Ipv4Address.parse(s.substring(dash + 1).strip()));
    }
    throw new IllegalArgumentException(
        "pool '"
            + spec
            + "': expected a CIDR like 10.99.99.0/24 or a range like"
            + " 10.99.99.10-10.99.99.200");
  }

  private static PoolRange cidr(String s, int slash) {
    Ipv4Address base = Ipv4Address.parse(s.substring(0, slash));
    int prefix;
    try {
      prefix = Integer.parseInt(s.substring(slash + 1));
    } catch (NumberFormatException e) {
      prefix = -1;
    }
    if (prefix < 16 || prefix > 32) {
      throw new IllegalArgumentException(
          "pool " + s + ": the prefix length must be between /16 and /32");
    }
    long mask = prefix == 0 ? 0 : (0xffffffffL << (32 - prefix)) & 0xffffffffL;
    long net = base.unsigned() & mask;
    if (net != base.unsigned()) {
      throw new IllegalArgumentException(
          "pool "
              + s
              + ": host bits are set; did you mean "
              + new Ipv4Address((int) net)
              + "/"
              + prefix
              + "?");
    }
    long bcast = net | (~mask & 0xffffffffL);
    if (prefix <= 30) {
      net++;
      bcast--;
    }
    return new PoolRange(s, new Ipv4Address((int) net), new Ipv4Address((int) bcast));
  }

  /** Whether {@code a} lies in the range. */
  public boolean contains(Ipv4Address a) {
    return a.compareTo(first) >= 0 && a.compareTo(last) <= 0;
  }

  /** The number of addresses in the range. */
  public int size() {
    return (int) (last.unsigned() - first.unsigned() + 1);
  }

  @Override
  public String toString() {
    return spec;
  }
}
