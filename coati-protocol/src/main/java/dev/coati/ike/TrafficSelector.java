package dev.coati.ike;

import dev.coati.ike.wire.IdPayload;
import dev.coati.ike.wire.IdType;
import java.util.Arrays;

/**
 * A quick mode traffic selector: an address range plus IP protocol and port (0 = any), taken from
 * an IDci/IDcr payload (RFC 2407 section 4.6.2). IPv4 and IPv6 addresses are kept as bytes.
 */
public record TrafficSelector(byte[] from, byte[] to, int protocol, int port) {
  public TrafficSelector {
    if (from.length != to.length || (from.length != 4 && from.length != 16)) {
      throw new IllegalArgumentException("bad selector addresses");
    }
    from = from.clone();
    to = to.clone();
  }

  /** A single host (its /32 or /128). */
  public static TrafficSelector host(byte[] address, int protocol, int port) {
    return new TrafficSelector(address, address, protocol, port);
  }

  /** A subnet given by address and prefix length. */
  public static TrafficSelector subnet(byte[] address, int prefix, int protocol, int port) {
    byte[] mask = new byte[address.length];
    for (int i = 0; i < prefix; i++) {
      mask[i / 8] |= (byte) (0x80 >>> (i % 8));
    }
    byte[] lo = new byte[address.length];
    byte[] hi = new byte[address.length];
    for (int i = 0; i < address.length; i++) {
      lo[i] = (byte) (address[i] & mask[i]);
      hi[i] = (byte) (address[i] | ~mask[i]);
    }
    return new TrafficSelector(lo, hi, protocol, port);
  }

  /**
   * Converts an ID payload used as quick mode identity; null when the type cannot be a selector.
   */
  public static TrafficSelector fromId(IdPayload id) {
    byte[] d = id.data();
    int t = id.idType().code();
    if (t == IdType.IPV4_ADDR.code() && d.length == 4
        || t == IdType.IPV6_ADDR.code() && d.length == 16) {
      return host(d, id.protocol(), id.port());
    }
    int half = d.length / 2;
    if ((t == IdType.IPV4_ADDR_SUBNET.code() || t == IdType.IPV4_ADDR_RANGE.code()) && d.length == 8
        || (t == IdType.IPV6_ADDR_SUBNET.code() || t == IdType.IPV6_ADDR_RANGE.code())
            && d.length == 32) {
      byte[] a = Arrays.copyOfRange(d, 0, half);
      byte[] b = Arrays.copyOfRange(d, half, d.length);
      if (t == IdType.IPV4_ADDR_SUBNET.code() || t == IdType.IPV6_ADDR_SUBNET.code()) {
        byte[] hi = new byte[half];
        for (int i = 0; i < half; i++) {
          a[i] &= b[i];
          hi[i] = (byte) (a[i] | ~b[i]);
        }
        return new TrafficSelector(a, hi, id.protocol(), id.port());
      }
      return new TrafficSelector(a, b, id.protocol(), id.port());
    }
    return null;
  }

  /** Encodes as an ID payload: a single address, a subnet if the range is one, else a range. */
  public IdPayload toId() {
    boolean v4 = from.length == 4;
    if (Arrays.equals(from, to)) {
      return new IdPayload(v4 ? IdType.IPV4_ADDR : IdType.IPV6_ADDR, protocol, port, from.clone());
    }
    byte[] mask = new byte[from.length];
    boolean subnet = true;
    for (int i = 0; i < from.length; i++) {
      mask[i] = (byte) ~(from[i] ^ to[i]);
      if ((from[i] & ~mask[i]) != 0 || ((to[i] | mask[i]) & 0xff) != 0xff) {
        subnet = false;
      }
    }
    subnet = subnet && isPrefixMask(mask);
    byte[] data = new byte[from.length * 2];
    System.arraycopy(from, 0, data, 0, from.length);
    System.arraycopy(subnet ? mask : to, 0, data, from.length, from.length);
    IdType type =
        subnet
            ? (v4 ? IdType.IPV4_ADDR_SUBNET : IdType.IPV6_ADDR_SUBNET)
            : (v4 ? IdType.IPV4_ADDR_RANGE : IdType.IPV6_ADDR_RANGE);
    return new IdPayload(type, protocol, port, data);
  }

  private static boolean isPrefixMask(byte[] mask) {
    boolean zeroSeen = false;
    for (byte b : mask) {
      for (int bit = 7; bit >= 0; bit--) {
        boolean one = (b >> bit & 1) != 0;
        if (one && zeroSeen) {
          return false;
        }
        zeroSeen |= !one;
      }
    }
    return true;
  }

  /** Whether every address, protocol and port of {@code other} lies within this selector. */
  public boolean contains(TrafficSelector other) {
    return from.length == other.from.length
        && Arrays.compareUnsigned(from, other.from) <= 0
        && Arrays.compareUnsigned(other.to, to) <= 0
        && (protocol == 0 || protocol == other.protocol)
        && (port == 0 || port == other.port);
  }

  /**
   * Whether the IPv4 address at {@code b[off, off+4)} lies within this selector's addresses (the
   * data plane's per-packet check: no allocation).
   */
  public boolean containsIpv4(byte[] b, int off) {
    if (from.length != 4) {
      return false;
    }
    return Arrays.compareUnsigned(from, 0, 4, b, off, off + 4) <= 0
        && Arrays.compareUnsigned(b, off, off + 4, to, 0, 4) <= 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrafficSelector t
        && Arrays.equals(from, t.from)
        && Arrays.equals(to, t.to)
        && protocol == t.protocol
        && port == t.port;
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(from) * 31 + Arrays.hashCode(to) + protocol * 7 + port;
  }

  @Override
  public String toString() {
    return addr(from)
        + (Arrays.equals(from, to) ? "" : "-" + addr(to))
        + "["
        + protocol
        + "/"
        + port
        + "]";
  }

  private static String addr(byte[] a) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < a.length; i++) {
      sb.append(i == 0 ? "" : a.length == 4 ? "." : ":").append(a[i] & 0xff);
    }
    return sb.toString();
  }
}
