package dev.coati.l2tp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Attribute-Value Pair (RFC 2661 section 4.1). When {@code hidden} is set the value is the wire
 * form (section 4.3); {@link HiddenAvp#reveal} gives the plain AVP.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |M|H| rsvd  |      Length       |           Vendor ID           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |         Attribute Type        |        Attribute Value...
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public record Avp(boolean mandatory, boolean hidden, int vendorId, int type, byte[] value) {
  public static final int HEADER_LENGTH = 6;
  public static final int IETF = 0;

  public Avp {
    if (value.length > Limits.MAX_AVP_VALUE || vendorId >>> 16 != 0 || type >>> 16 != 0) {
      throw new IllegalArgumentException("AVP out of range");
    }
    value = value.clone();
  }

  /** An IETF AVP, not hidden. */
  public Avp(boolean mandatory, AvpType type, byte[] value) {
    this(mandatory, false, IETF, type.code(), value);
  }

  /**
   * Decodes one AVP. Returns null for an AVP with a reserved bit set and M clear, which section 4.1
   * says to treat as unrecognized (so ignored); with M set such an AVP is refused.
   */
  public static Avp decode(ByteReader r) {
    if (r.remaining() < HEADER_LENGTH) {
      throw L2tpProtocolException.general(ResultCode.LENGTH_WRONG, "AVP header truncated");
    }
    int first = r.u16();
    int length = first & 0x3ff;
    if (length < HEADER_LENGTH || length - 2 > r.remaining()) {
      throw L2tpProtocolException.general(ResultCode.LENGTH_WRONG, "AVP length " + length);
    }
    boolean m = (first & 0x8000) != 0;
    boolean h = (first & 0x4000) != 0;
    int vendor = r.u16();
    int type = r.u16();
    byte[] value = r.bytes(length - HEADER_LENGTH);
    if ((first & 0x3c00) != 0) {
      if (m) {
        throw L2tpProtocolException.general(
            ResultCode.UNKNOWN_MANDATORY_AVP, "reserved AVP bits set with M");
      }
      return null;
    }
    return new Avp(m, h, vendor, type, value);
  }

  public void encode(ByteWriter w) {
    int first = (mandatory ? 0x8000 : 0) | (hidden ? 0x4000 : 0) | encodedLength();
    w.u16(first).u16(vendorId).u16(type).bytes(value);
  }

  public int encodedLength() {
    return HEADER_LENGTH + value.length;
  }

  public boolean isIetf(AvpType t) {
    return vendorId == IETF && type == t.code();
  }

  public AvpType avpType() {
    return AvpType.valueOf(type);
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  public int u16() {
    check(2);
    return new ByteReader(value).u16();
  }

  public long u32() {
    check(4);
    return new ByteReader(value).u32();
  }

  public long u64() {
    check(8);
    return new ByteReader(value).i64();
  }

  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }

  private void check(int n) {
    if (value.length != n || hidden) {
      throw L2tpProtocolException.general(ResultCode.LENGTH_WRONG, avpType() + " is not " + n);
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Avp a
        && a.mandatory == mandatory
        && a.hidden == hidden
        && a.vendorId == vendorId
        && a.type == type
        && Arrays.equals(a.value, value);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(value) * 31 + (vendorId << 16 | type) + (mandatory ? 1 : 0);
  }

  @Override
  public String toString() {
    String name = vendorId == IETF ? avpType().toString() : vendorId + ":" + type;
    return name + (mandatory ? "[M]" : "") + (hidden ? "[H]" : "") + "(" + value.length + ")";
  }
}
