package dev.coati.ppp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import dev.coati.util.TruncatedInputException;

/**
 * A PPP frame as L2TP carries it (RFC 2661 section 5.1: no flags, no FCS, no byte stuffing).
 *
 * <pre>
 * +----------+----------+----------+-------------+
 * | Address  | Control  | Protocol | Information |
 * |   0xff   |   0x03   | 8/16 bit |     ...     |
 * +----------+----------+----------+-------------+
 * </pre>
 *
 * On input the address and control fields are optional (ACFC, RFC 1661 section 6.6) and the
 * protocol field may be one octet (PFC, section 6.5: a protocol number's low octet is odd, its high
 * octet even). We always send the full form.
 */
public record PppFrame(PppProtocol protocol, byte[] information) {
  public static final int ADDRESS = 0xff;
  public static final int CONTROL = 0x03;

  public PppFrame {
    information = information.clone();
  }

  public static PppFrame decode(ByteReader r) {
    try {
      if (r.remaining() >= 2
          && (r.array()[r.position()] & 0xff) == ADDRESS
          && (r.array()[r.position() + 1] & 0xff) == CONTROL) {
        r.skip(2);
      }
      int first = r.u8();
      int protocol;
      if ((first & 1) == 1) {
        protocol = first;
      } else {
        int second = r.u8();
        if ((second & 1) == 0) {
          throw new PppProtocolException("protocol field low octet is even: " + second);
        }
        protocol = (first << 8) | second;
      }
      return new PppFrame(PppProtocol.valueOf(protocol), r.rest());
    } catch (TruncatedInputException e) {
      throw new PppProtocolException("truncated PPP frame: " + e.getMessage());
    }
  }

  public static PppFrame decode(byte[] b) {
    return decode(new ByteReader(b));
  }

  public void encode(ByteWriter w) {
    w.u8(ADDRESS).u8(CONTROL).u16(protocol.number()).bytes(information);
  }

  public int encodedLength() {
    return 4 + information.length;
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter(encodedLength());
    encode(w);
    return w.toByteArray();
  }

  @Override
  public byte[] information() {
    return information.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PppFrame f
        && f.protocol.equals(protocol)
        && java.util.Arrays.equals(f.information, information);
  }

  @Override
  public int hashCode() {
    return protocol.hashCode() * 31 + java.util.Arrays.hashCode(information);
  }
}
