package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A data attribute (RFC 2408 section 3.3), in TV form (AF=1, two value bytes) or TLV form (AF=0,
 * length and value). The form is kept so that a decoded attribute re-encodes byte-identically.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * !A!       Attribute Type        !    AF=0  Attribute Length     !
 * !F!                             !    AF=1  Attribute Value      !
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * .                   AF=0  Attribute Value                       .
 * .                   AF=1  Not Transmitted                       .
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record Attribute(int type, byte[] value, boolean tv) {
  public Attribute {
    if (type < 0 || type > 0x7fff) {
      throw new IllegalArgumentException("attribute type " + type);
    }
    if (tv && value.length != 2) {
      throw new IllegalArgumentException("TV attribute needs 2 value bytes");
    }
    if (!tv && value.length > 0xffff) {
      throw new IllegalArgumentException("TLV attribute too long");
    }
    value = value.clone();
  }

  public static Attribute tv(int type, int value16) {
    return new Attribute(type, new byte[] {(byte) (value16 >>> 8), (byte) value16}, true);
  }

  public static Attribute tlv(int type, byte[] value) {
    return new Attribute(type, value, false);
  }

  /** TV if the value fits 16 bits, else a 4-byte TLV (how lifetimes are usually sent). */
  public static Attribute ofLong(int type, long v) {
    if (v >= 0 && v <= 0xffff) {
      return tv(type, (int) v);
    }
    return tlv(type, new ByteWriter(4).i32((int) v).toByteArray());
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value as an unsigned big-endian number of up to 8 bytes. */
  public long longValue() {
    if (value.length > 8) {
      throw new IkeProtocolException(
          NotifyType.ATTRIBUTES_NOT_SUPPORTED, "attribute " + type + " value too long");
    }
    long v = 0;
    for (byte b : value) {
      v = (v << 8) | (b & 0xff);
    }
    return v;
  }

  /** The value as an int; values over 2^31-1 are refused. */
  public int intValue() {
    long v = longValue();
    if (v > Integer.MAX_VALUE || v < 0) {
      throw new IkeProtocolException(
          NotifyType.ATTRIBUTES_NOT_SUPPORTED, "attribute " + type + " value out of range");
    }
    return (int) v;
  }

  public static Attribute decode(ByteReader in) {
    int t = in.u16();
    int typeOnly = t & 0x7fff;
    if ((t & 0x8000) != 0) {
      return new Attribute(typeOnly, in.bytes(2), true);
    }
    int len = in.u16();
    if (len > Limits.MAX_ATTRIBUTE_LENGTH) {
      throw new MalformedPacketException("attribute " + typeOnly + " of " + len + " bytes");
    }
    return new Attribute(typeOnly, in.bytes(len), false);
  }

  public void encode(ByteWriter out) {
    if (tv) {
      out.u16(0x8000 | type).bytes(value);
    } else {
      out.u16(type).u16(value.length).bytes(value);
    }
  }

  public int encodedLength() {
    return tv ? 4 : 4 + value.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Attribute a
        && a.type == type
        && a.tv == tv
        && Arrays.equals(a.value, value);
  }

  @Override
  public int hashCode() {
    return type * 31 + Arrays.hashCode(value) + (tv ? 1 : 0);
  }

  @Override
  public String toString() {
    return type
        + "="
        + (value.length <= 8 ? Long.toString(longValue()) : HexFormat.of().formatHex(value));
  }
}
