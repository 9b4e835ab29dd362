package dev.coati.util;

/**
 * An IPv4 address as an unsigned 32-bit value, parsed from and printed as dotted quad, without
 * {@code java.net} (which the protocol module does not use). Ordered numerically.
 */
public record Ipv4Address(int value) implements Comparable<Ipv4Address> {

  /**
   * Parses {@code a.b.c.d} (each part 0–255, no leading signs or spaces); throws {@link
   * IllegalArgumentException} naming the text otherwise.
   */
  public static Ipv4Address parse(String s) {
    String[] parts = s.split("\\.", -1);
    if (parts.length != 4) {
      throw new IllegalArgumentException("'" + s + "' is not an IPv4 address like 10.99.99.50");
    }
    int v = 0;
    for (String p : parts) {
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        throw new IllegalArgumentException("'" + s + "' is not an IPv4 address like 10.99.99.50");
      }
      int b = Integer.parseInt(p);
      if (b > 255) {
        throw new IllegalArgumentException("'" + s + "': each part of an IPv4 address is 0-255");
      }
      v = (v << 8) | b;
    }
    return new Ipv4Address(v);
  }

  /** The address from 4 network-order bytes. */
  public static Ipv4Address of(byte[] b) {
    if (b.length != 4) {
      throw new IllegalArgumentException("an IPv4 address has 4 bytes");
    }
    return new Ipv4Address(
        (b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff));
  }

  /** The 4 network-order bytes. */
  public byte[] bytes() {
    return new byte[] {
      (byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value
    };
  }

  /** The value as an unsigned long (for arithmetic over ranges). */
  public long unsigned() {
    return Integer.toUnsignedLong(value);
  }

  @Override
  public int compareTo(Ipv4Address o) {
    return Integer.compareUnsigned(value, o.value);
  }

  @Override
  public String toString() {
    return (value >>> 24)
        + "."
        + ((value >>> 16) & 0xff)
        + "."
        + ((value >>> 8) & 0xff)
        + "."
        + (value & 0xff);
  }
}
