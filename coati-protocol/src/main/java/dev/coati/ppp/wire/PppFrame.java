package dev.coati.ppp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.Arrays;

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

  /**
   * The address/control fields (when present) and the protocol field at the start of a frame: the
   * protocol and how many octets the three fields take, so the data path can hand on the
   * information in place.
   */
  public record Header(PppProtocol protocol, int length) {}

  /** The {@link Header} of the frame in {@code b[off, off + len)}. */
  public static Header header(byte[] b, int off, int len) {
    int p = off;
    int end = off + len;
    if (len >= 2 && (b[p] & 0xff) == ADDRESS && (b[p + 1] & 0xff) == CONTROL) {
      p += 2;
    }
    if (p >= end) {
      throw new PppProtocolException("truncated PPP frame: no protocol field");
    }
    int protocol = b[p++] & 0xff;
    if ((protocol & 1) == 0) {
      if (p >= end) {
        throw new PppProtocolException("truncated PPP frame: one-octet even protocol");
      }
      int second = b[p++] & 0xff;
      if ((second & 1) == 0) {
        throw new PppProtocolException("protocol field low octet is even: " + second);
      }
      protocol = (protocol << 8) | second;
    }
    return new Header(PppProtocol.valueOf(protocol), p - off);
  }

  public static PppFrame decode(ByteReader r) {
    Header h = header(r.array(), r.position(), r.remaining());
    r.skip(h.length());
    return new PppFrame(h.protocol(), r.rest());
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
        && Arrays.equals(f.information, information);
  }

  @Override
  public int hashCode() {
    return protocol.hashCode() * 31 + Arrays.hashCode(information);
  }

  /** Writes the header FF 03 00 21 of an IPv4 frame at {@code buf[off]}; returns 4. */
  public static int writeIpv4Header(byte[] buf, int off) {
    buf[off] = (byte) ADDRESS;
    buf[off + 1] = (byte) CONTROL;
    buf[off + 2] = 0x00;
    buf[off + 3] = 0x21;
    return 4;
  }
}
