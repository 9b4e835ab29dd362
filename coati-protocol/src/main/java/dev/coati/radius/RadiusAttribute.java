package dev.coati.radius;

import dev.coati.util.Hex;
import dev.coati.util.Ipv4Address;
import java.nio.charset.StandardCharsets;

/**
 * One attribute: a standard one ({@code vendor == 0}) of {@code type}, or a vendor-specific one
 * (type 26, RFC 2865 section 5.26) of {@code vendor} and {@code vendorType}. The value is the
 * caller's array; for User-Password it is the plain text until {@link RadiusCodec} hides it.
 */
public record RadiusAttribute(int type, int vendor, int vendorType, byte[] value) {
  /** Longest value of a standard attribute (255 minus type and length). */
  public static final int MAX_VALUE = 253;

  public RadiusAttribute {
    int max = vendor == 0 ? MAX_VALUE : MAX_VALUE - 6;
    if (value.length > max) {
      throw new IllegalArgumentException("attribute value longer than " + max + " bytes");
    }
  }

  public static RadiusAttribute of(int type, byte[] value) {
    return new RadiusAttribute(type, 0, 0, value);
  }

  public static RadiusAttribute text(int type, String s) {
    return of(type, s.getBytes(StandardCharsets.UTF_8));
  }

  public static RadiusAttribute integer(int type, long v) {
    return of(type, new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v});
  }

  public static RadiusAttribute address(int type, Ipv4Address a) {
    return of(type, a.bytes());
  }

  public static RadiusAttribute vendor(int vendor, int vendorType, byte[] value) {
    if (vendor <= 0) {
      throw new IllegalArgumentException("a vendor id is positive");
    }
    return new RadiusAttribute(Radius.VENDOR_SPECIFIC, vendor, vendorType, value);
  }

  /** Whether this is {@code type} (standard) or, with a vendor, that vendor's {@code type}. */
  public boolean is(int vendorId, int t) {
    return vendorId == 0 ? vendor == 0 && type == t : vendor == vendorId && vendorType == t;
  }

  /** The value as a 32-bit unsigned integer (RFC 2865 "integer"). */
  public long integer() throws RadiusException {
    if (value.length != 4) {
      throw new RadiusException("attribute " + name() + " is not 4 bytes long");
    }
    return ((value[0] & 0xffL) << 24)
        | ((value[1] & 0xffL) << 16)
        | ((value[2] & 0xffL) << 8)
        | (value[3] & 0xffL);
  }

  public Ipv4Address address() throws RadiusException {
    if (value.length != 4) {
      throw new RadiusException("attribute " + name() + " is not an IPv4 address");
    }
    return Ipv4Address.of(value);
  }

  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }

  String name() {
    return vendor == 0 ? Integer.toString(type) : "26/" + vendor + "/" + vendorType;
  }

  /** Never shows the value of a password or a response. */
  @Override
  public String toString() {
    boolean hidden =
        vendor == 0
            ? type == Radius.USER_PASSWORD
                || type == Radius.CHAP_PASSWORD
                || type == Radius.MESSAGE_AUTHENTICATOR
            : vendor == Radius.VENDOR_MICROSOFT && vendorType == Radius.MS_CHAP2_RESPONSE;
    return "Attr["
        + name()
        + "="
        + (hidden ? "(" + value.length + " bytes)" : Hex.encode(value))
        + "]";
  }
}
