package dev.coati.radius;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Bytes to {@link RadiusPacket} and back (RFC 2865 section 3 and 5), with no cryptography: see
 * {@link RadiusSigner} for the authenticators, Message-Authenticator and User-Password hiding.
 * Decoding throws only {@link RadiusException}.
 */
public final class RadiusCodec {
  public static final int HEADER_LENGTH = 20;
  public static final int MAX_LENGTH = 4096;

  private RadiusCodec() {}

  /**
   * Parses a datagram: bytes past the Length field are padding (RFC 2865 section 3) and ignored. A
   * Vendor-Specific attribute in the recommended format becomes one attribute per sub-attribute;
   * one that is not stays a single raw type-26 attribute with vendor 0.
   */
  public static RadiusPacket decode(byte[] data) throws RadiusException {
    if (data.length < HEADER_LENGTH) {
      throw new RadiusException("packet of " + data.length + " bytes is shorter than the header");
    }
    int length = ((data[2] & 0xff) << 8) | (data[3] & 0xff);
    if (length < HEADER_LENGTH || length > MAX_LENGTH) {
      throw new RadiusException("Length " + length + " is outside 20..4096");
    }
    if (length > data.length) {
      throw new RadiusException("Length " + length + " but only " + data.length + " bytes");
    }
    byte[] auth = new byte[RadiusPacket.AUTHENTICATOR_LENGTH];
    System.arraycopy(data, 4, auth, 0, auth.length);
    List<RadiusAttribute> attrs = new ArrayList<>();
    int i = HEADER_LENGTH;
    while (i < length) {
      if (i + 2 > length) {
        throw new RadiusException("attribute at " + i + " has no length byte");
      }
      int type = data[i] & 0xff;
      int len = data[i + 1] & 0xff;
      if (len < 2 || i + len > length) {
        throw new RadiusException("attribute " + type + " at " + i + " has bad length " + len);
      }
      byte[] value = new byte[len - 2];
      System.arraycopy(data, i + 2, value, 0, value.length);
      if (type == Radius.VENDOR_SPECIFIC) {
        vendor(value, attrs);
      } else {
        attrs.add(RadiusAttribute.of(type, value));
      }
      i += len;
    }
    return new RadiusPacket(data[0] & 0xff, data[1] & 0xff, auth, attrs);
  }

  private static void vendor(byte[] v, List<RadiusAttribute> out) {
    if (v.length < 6 || v[0] != 0) {
      out.add(RadiusAttribute.of(Radius.VENDOR_SPECIFIC, v));
      return;
    }
    int vendor = ((v[1] & 0xff) << 16) | ((v[2] & 0xff) << 8) | (v[3] & 0xff);
    List<RadiusAttribute> subs = new ArrayList<>();
    int i = 4;
    while (i < v.length) {
      int len = i + 1 < v.length ? v[i + 1] & 0xff : 0;
      if (len < 2 || i + len > v.length || vendor == 0) {
        out.add(RadiusAttribute.of(Radius.VENDOR_SPECIFIC, v));
        return;
      }
      byte[] value = new byte[len - 2];
      System.arraycopy(v, i + 2, value, 0, value.length);
      subs.add(RadiusAttribute.vendor(vendor, v[i] & 0xff, value));
      i += len;
    }
    out.addAll(subs);
  }

  /** The packet's bytes as they are (authenticator and attribute values unchanged). */
  public static byte[] encode(RadiusPacket p) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(p.code());
    out.write(p.identifier());
    out.write(0);
    out.write(0);
    out.writeBytes(p.authenticator());
    for (RadiusAttribute a : p.attributes()) {
      if (a.vendor() == 0) {
        out.write(a.type());
        out.write(a.value().length + 2);
      } else {
        out.write(Radius.VENDOR_SPECIFIC);
        out.write(a.value().length + 8);
        out.write(a.vendor() >>> 24);
        out.write(a.vendor() >>> 16);
        out.write(a.vendor() >>> 8);
        out.write(a.vendor());
        out.write(a.vendorType());
        out.write(a.value().length + 2);
      }
      out.writeBytes(a.value());
    }
    byte[] b = out.toByteArray();
    if (b.length > MAX_LENGTH) {
      throw new IllegalArgumentException("a RADIUS packet is at most 4096 bytes");
    }
    b[2] = (byte) (b.length >>> 8);
    b[3] = (byte) b.length;
    return b;
  }
}
