package dev.coati.l2tp.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.Arrays;

/**
 * A data message (RFC 2661 section 3.1, T bit clear): an L2TP header then one PPP frame. The
 * header's Length field, when present, is recomputed on encode.
 */
public record DataMessage(L2tpHeader header, byte[] payload) {
  public DataMessage {
    if (header.control()) {
      throw new IllegalArgumentException("control header on a data message");
    }
    if (header.hasLength()) {
      int total = header.encodedLength() + payload.length;
      header =
          new L2tpHeader(
              false,
              true,
              header.hasSequence(),
              header.hasOffset(),
              header.priority(),
              total,
              header.tunnelId(),
              header.sessionId(),
              header.ns(),
              header.nr(),
              header.offsetSize());
    }
    payload = payload.clone();
  }

  /** A data message with just tunnel and session id (no L, S or O bit). */
  public static DataMessage of(int tunnelId, int sessionId, byte[] payload) {
    L2tpHeader h =
        new L2tpHeader(false, false, false, false, false, 0, tunnelId, sessionId, 0, 0, 0);
    return new DataMessage(h, payload);
  }

  public static DataMessage decode(byte[] datagram) {
    ByteReader r = new ByteReader(datagram);
    L2tpHeader h = L2tpHeader.decode(r);
    if (h.control()) {
      throw L2tpProtocolException.discard("control message where data expected");
    }
    int consumed = datagram.length - r.remaining();
    int end = h.hasLength() ? h.length() : datagram.length;
    return new DataMessage(h, r.bytes(end - consumed));
  }

  public int encodedLength() {
    return header.encodedLength() + payload.length;
  }

  public byte[] encode() {
    ByteWriter w = new ByteWriter(encodedLength());
    header.encode(w, encodedLength());
    w.bytes(payload);
    return w.toByteArray();
  }

  @Override
  public byte[] payload() {
    return payload.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DataMessage d
        && d.header.equals(header)
        && Arrays.equals(d.payload, payload);
  }

  @Override
  public int hashCode() {
    return header.hashCode() * 31 + Arrays.hashCode(payload);
  }
}
