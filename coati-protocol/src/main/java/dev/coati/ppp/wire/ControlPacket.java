package dev.coati.ppp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.Arrays;
import java.util.List;

/**
 * An LCP, IPCP, CCP or IPV6CP packet (RFC 1661 section 5; the NCPs reuse codes 1-7, RFC 1332
 * section 2).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     Code      |  Identifier   |            Length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    Data (options for codes 1-4) ...
 * +-+-+-+-+-+-+-+-+
 * </pre>
 *
 * Octets past Length are padding and ignored (section 5). A Length that does not fit but whose
 * byte-swapped value does is accepted (SoftEther Q15).
 */
public record ControlPacket(int code, int identifier, byte[] data) {
  public static final int CONFIGURE_REQUEST = 1;
  public static final int CONFIGURE_ACK = 2;
  public static final int CONFIGURE_NAK = 3;
  public static final int CONFIGURE_REJECT = 4;
  public static final int TERMINATE_REQUEST = 5;
  public static final int TERMINATE_ACK = 6;
  public static final int CODE_REJECT = 7;
  public static final int PROTOCOL_REJECT = 8;
  public static final int ECHO_REQUEST = 9;
  public static final int ECHO_REPLY = 10;
  public static final int DISCARD_REQUEST = 11;
  public static final int IDENTIFICATION = 12;
  public static final int TIME_REMAINING = 13;

  public static final int HEADER_LENGTH = 4;
  public static final int MAX_LENGTH = 0xffff;

  public ControlPacket {
    if (code < 0 || code > 0xff || identifier < 0 || identifier > 0xff) {
      throw new IllegalArgumentException("code/identifier out of range");
    }
    if (data.length > MAX_LENGTH - HEADER_LENGTH) {
      throw new IllegalArgumentException("data too long: " + data.length);
    }
    data = data.clone();
  }

  /** A Configure-Request/Ack/Nak/Reject carrying options. */
  public static ControlPacket withOptions(int code, int identifier, List<PppOption> options) {
    return new ControlPacket(code, identifier, PppOption.encodeAll(options));
  }

  public static ControlPacket decode(ByteReader r) {
    if (r.remaining() < HEADER_LENGTH) {
      throw new PppProtocolException("control packet shorter than 4 octets: " + r.remaining());
    }
    int code = r.u8();
    int identifier = r.u8();
    int length = r.u16();
    int available = r.remaining() + HEADER_LENGTH;
    if (length > available) {
      int swapped = ((length & 0xff) << 8) | (length >>> 8);
      if (swapped < HEADER_LENGTH || swapped > available) {
        throw new PppProtocolException("length " + length + " exceeds packet of " + available);
      }
      length = swapped;
    }
    if (length < HEADER_LENGTH) {
      throw new PppProtocolException("length below 4: " + length);
    }
    byte[] data = r.bytes(length - HEADER_LENGTH);
    r.skip(r.remaining());
    return new ControlPacket(code, identifier, data);
  }

  public static ControlPacket decode(byte[] b) {
    return decode(new ByteReader(b));
  }

  /** The options of a Configure-Request/Ack/Nak/Reject. */
  public List<PppOption> options() {
    return PppOption.decodeAll(data);
  }

  /** True for codes 1-4, whose data is a list of options. */
  public boolean isConfigure() {
    return code >= CONFIGURE_REQUEST && code <= CONFIGURE_REJECT;
  }

  /** Magic-Number of an Echo-Request/Reply, Discard-Request, Identification (section 5.8). */
  public long magicNumber() {
    if (data.length < 4) {
      throw new PppProtocolException("no magic number in code " + code);
    }
    return new ByteReader(data).u32();
  }

  /** Rejected protocol of a Protocol-Reject (section 5.7). */
  public PppProtocol rejectedProtocol() {
    if (code != PROTOCOL_REJECT || data.length < 2) {
      throw new PppProtocolException("not a Protocol-Reject");
    }
    return PppProtocol.valueOf(new ByteReader(data).u16());
  }

  /** Code-Reject carrying as much of the rejected packet as fits within {@code mru}. */
  public static ControlPacket codeReject(int identifier, byte[] rejected, int mru) {
    return new ControlPacket(CODE_REJECT, identifier, truncate(rejected, mru - HEADER_LENGTH));
  }

  /** Protocol-Reject of a frame (section 5.7); only sent while LCP is Opened. */
  public static ControlPacket protocolReject(int identifier, PppFrame frame, int mru) {
    byte[] info = truncate(frame.information(), mru - HEADER_LENGTH - 2);
    ByteWriter w = new ByteWriter(2 + info.length);
    w.u16(frame.protocol().number()).bytes(info);
    return new ControlPacket(PROTOCOL_REJECT, identifier, w.toByteArray());
  }

  /** Echo-Reply/Request or Discard-Request: magic number then data (section 5.8). */
  public static ControlPacket withMagic(int code, int identifier, long magic, byte[] rest) {
    ByteWriter w = new ByteWriter(4 + rest.length);
    w.i32((int) magic).bytes(rest);
    return new ControlPacket(code, identifier, w.toByteArray());
  }

  private static byte[] truncate(byte[] b, int max) {
    return b.length <= max ? b : Arrays.copyOf(b, Math.max(0, max));
  }

  public void encode(ByteWriter w) {
    w.u8(code).u8(identifier).u16(encodedLength()).bytes(data);
  }

  public int encodedLength() {
    return HEADER_LENGTH + data.length;
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter(encodedLength());
    encode(w);
    return w.toByteArray();
  }

  /** This packet inside a PPP frame of {@code protocol}. */
  public PppFrame toFrame(PppProtocol protocol) {
    return new PppFrame(protocol, encode());
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ControlPacket p
        && p.code == code
        && p.identifier == identifier
        && Arrays.equals(p.data, data);
  }

  @Override
  public int hashCode() {
    return (code * 256 + identifier) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "ControlPacket[code=" + code + ", id=" + identifier + ", len=" + data.length + "]";
  }
}
