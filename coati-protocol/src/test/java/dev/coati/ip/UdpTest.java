package dev.coati.ip;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.coati.util.Hex;
import org.junit.jupiter.api.Test;

class UdpTest {
  /**
   * A DNS query 192.168.1.10:53764 -> 192.168.1.1:53: a correct checksum re-sums to zero (RFC
   * 1071); Wireshark checks the same code independently in EspTsharkTest's transport mode case.
   */
  @Test
  void checksum_matchesACapturedDatagram() {
    byte[] dgram =
        Hex.decode(
            "d20400350028" + "0000" + "4d1b0100000100000000000006676f6f676c6503636f6d0000010001");
    byte[] src = {(byte) 192, (byte) 168, 1, 10};
    byte[] dst = {(byte) 192, (byte) 168, 1, 1};
    byte[] b = new byte[dgram.length];
    System.arraycopy(dgram, 8, b, 8, dgram.length - 8);
    int n = Udp.write(b, 0, dgram.length - 8, src, 0xd204, dst, 53);
    assertEquals(dgram.length, n);
    assertEquals(0, Udp.checksum(b, 0, n, src, dst), "a correct sum re-sums to 0");
    assertEquals(0xd204, Udp.srcPort(b, 0));
    assertEquals(53, Udp.dstPort(b, 0));
    assertEquals(n, Udp.length(b, 0, n));
    assertEquals(-1, Udp.length(b, 0, n - 1), "length beyond the data");
    b[20] ^= 1;
    assertEquals(false, Udp.checksum(b, 0, n, src, dst) == 0, "a flipped bit is seen");
  }
}
