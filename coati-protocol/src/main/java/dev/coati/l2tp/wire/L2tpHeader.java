package dev.coati.l2tp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * L2TP header (RFC 2661 section 3.1), shared by control and data messages. Control messages have T,
 * L and S set; Ns and Nr are present when S is, Offset Size when O is (the pad is skipped on decode
 * and written as zeros).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |T|L|x|x|S|x|O|P|x|x|x|x|  Ver  |          Length (opt)         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           Tunnel ID           |           Session ID          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             Ns (opt)          |             Nr (opt)          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      Offset Size (opt)        |    Offset pad... (opt)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * @param length the Length field when L is set (total message bytes), else 0
 * @param offsetSize the Offset Size when O is set, else 0
 */
public record L2tpHeader(
    boolean control,
    boolean hasLength,
    boolean hasSequence,
    boolean hasOffset,
    boolean priority,
    int length,
    int tunnelId,
    int sessionId,
    int ns,
    int nr,
    int offsetSize) {
  public static final int VERSION = 2;
  public static final int CONTROL_LENGTH = 12;

  private static final int T = 0x8000;
  private static final int L = 0x4000;
  private static final int S = 0x0800;
  private static final int O = 0x0200;
  private static final int P = 0x0100;

  /** A control message header of the given total length. */
  public static L2tpHeader control(int length, int tunnelId, int sessionId, int ns, int nr) {
    return new L2tpHeader(true, true, true, false, false, length, tunnelId, sessionId, ns, nr, 0);
  }

  /**
   * Decodes a header from the start of a datagram. Returns the header; the reader is left at the
   * first payload byte. A header with a wrong version or bits that contradict each other is
   * discarded silently (section 3.1 and 5.x: such packets are not answered).
   */
  public static L2tpHeader decode(ByteReader r) {
    if (r.remaining() < 6) {
      throw L2tpProtocolException.discard("header truncated");
    }
    int available = r.remaining();
    int flags = r.u16();
    if ((flags & 0x0f) != VERSION) {
      throw L2tpProtocolException.discard("version " + (flags & 0x0f));
    }
    boolean t = (flags & T) != 0;
    boolean l = (flags & L) != 0;
    boolean s = (flags & S) != 0;
    boolean o = (flags & O) != 0;
    boolean p = (flags & P) != 0;
    if (t && (!l || !s || p)) {
      throw L2tpProtocolException.discard("control message without L or S bit, or with P");
    }
    int needed = 6 + (l ? 2 : 0) + (s ? 4 : 0) + (o ? 2 : 0);
    if (available < needed) {
      throw L2tpProtocolException.discard("header truncated");
    }
    int length = l ? r.u16() : 0;
    if (l && (length < needed || length > available)) {
      throw L2tpProtocolException.discard("length " + length + " of " + available);
    }
    int tunnel = r.u16();
    int session = r.u16();
    int ns = s ? r.u16() : 0;
    int nr = s ? r.u16() : 0;
    int offset = o ? r.u16() : 0;
    int end = l ? length : available;
    if (offset > end - needed) {
      throw L2tpProtocolException.discard("offset " + offset);
    }
    r.skip(offset);
    return new L2tpHeader(t, l, s, o, p, length, tunnel, session, ns, nr, offset);
  }

  /** Bytes taken by this header including the offset pad. */
  public int encodedLength() {
    return 6 + (hasLength ? 2 : 0) + (hasSequence ? 4 : 0) + (hasOffset ? 2 + offsetSize : 0);
  }

  /** Writes the header with {@code totalLength} in the Length field (when L is set). */
  public void encode(ByteWriter w, int totalLength) {
    int flags =
        (control ? T : 0)
            | (hasLength ? L : 0)
            | (hasSequence ? S : 0)
            | (hasOffset ? O : 0)
            | (priority ? P : 0)
            | VERSION;
    w.u16(flags);
    if (hasLength) {
      w.u16(totalLength);
    }
    w.u16(tunnelId).u16(sessionId);
    if (hasSequence) {
      w.u16(ns).u16(nr);
    }
    if (hasOffset) {
      w.u16(offsetSize).zeros(offsetSize);
    }
  }

  public L2tpHeader withSequence(int newNs, int newNr) {
    return new L2tpHeader(
        control,
        hasLength,
        true,
        hasOffset,
        priority,
        length,
        tunnelId,
        sessionId,
        newNs & 0xffff,
        newNr & 0xffff,
        offsetSize);
  }
}
