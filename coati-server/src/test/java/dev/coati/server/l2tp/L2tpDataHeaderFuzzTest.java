package dev.coati.server.l2tp;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer target: the data plane's L2TP header parser ({@link L2tpServer#dataPayload}, RFC 2661
 * section 3.1: optional Length, Ns/Nr and Offset, control or data), at an offset inside a larger
 * buffer as the UDP batch hands it. It never throws, and a payload it returns lies within the
 * datagram.
 */
class L2tpDataHeaderFuzzTest {
  @FuzzTest
  void dataPayload(byte[] datagram) {
    int off = 7;
    byte[] buf = new byte[datagram.length + 2 * off];
    System.arraycopy(datagram, 0, buf, off, datagram.length);
    int[] ids = new int[2];
    long span = L2tpServer.dataPayload(buf, off, datagram.length, ids);
    if (span >= 0) {
      int at = (int) (span >>> 32);
      int len = (int) span;
      assertTrue(at >= off && len >= 0 && at + len <= off + datagram.length, "span " + span);
    }
  }
}
