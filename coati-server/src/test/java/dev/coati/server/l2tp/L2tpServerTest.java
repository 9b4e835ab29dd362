package dev.coati.server.l2tp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coati.l2tp.wire.DataMessage;
import dev.coati.l2tp.wire.L2tpHeader;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The LNS's in-place parse of data message headers (RFC 2661 section 3.1). */
class L2tpServerTest {
  static final byte[] PPP = HexFormat.of().parseHex("ff03c021010100040000");

  /** Payload of {@code m} as found in place, after 5 bytes of something else in the buffer. */
  static byte[] payload(byte[] message, int[] ids) {
    byte[] buf = new byte[5 + message.length];
    System.arraycopy(message, 0, buf, 5, message.length);
    long span = L2tpServer.dataPayload(buf, 5, message.length, ids);
    if (span < 0) {
      return null;
    }
    int at = (int) (span >>> 32);
    return Arrays.copyOfRange(buf, at, at + (int) span);
  }

  @Test
  void everyOptionalFieldIsSkipped_andTheIdsRead() {
    for (boolean l : new boolean[] {false, true}) {
      for (boolean seq : new boolean[] {false, true}) {
        for (int offset : new int[] {-1, 0, 3}) {
          L2tpHeader h =
              new L2tpHeader(
                  false, l, seq, offset >= 0, false, 0, 4711, 42, 7, 9, Math.max(0, offset));
          byte[] m = new DataMessage(h, PPP).encode();
          int[] ids = new int[2];
          assertArrayEquals(PPP, payload(m, ids), "L=" + l + " S=" + seq + " O=" + offset);
          assertEquals(4711, ids[0]);
          assertEquals(42, ids[1]);
        }
      }
    }
  }

  @Test
  void theLengthFieldCutsPadding_andTruncatedHeadersAreRefused() {
    L2tpHeader h = new L2tpHeader(false, true, false, false, false, 0, 1, 2, 0, 0, 0);
    byte[] m = new DataMessage(h, PPP).encode();
    byte[] padded = Arrays.copyOf(m, m.length + 4); // trailing bytes after Length: not PPP
    assertArrayEquals(PPP, payload(padded, new int[2]));
    assertEquals(null, payload(Arrays.copyOf(m, 5), new int[2]), "shorter than a header");
    assertEquals(null, payload(Arrays.copyOf(m, m.length - 1), new int[2]), "Length too big");
    L2tpHeader o = new L2tpHeader(false, false, false, true, false, 0, 1, 2, 0, 0, 200);
    byte[] big = new DataMessage(o, PPP).encode();
    assertEquals(null, payload(Arrays.copyOf(big, 12), new int[2]), "offset pad beyond the end");
  }
}
