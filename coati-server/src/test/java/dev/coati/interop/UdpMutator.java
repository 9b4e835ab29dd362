package dev.coati.interop;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * Replays captured datagrams, mutated, at a gateway (run inside a test namespace with {@code ip
 * netns exec}): {@code UdpMutator ADDRESS CAPTURE SEED COUNT PER_MILLISECOND}, where each line of
 * CAPTURE is {@code PORT HEX}. Each datagram is one captured message with one mutation: bit flips,
 * interesting bytes, a 16-bit field set to an edge value (lengths), truncation, extension, a splice
 * of two messages, or several of these at once; sent to the port it was captured on. Bounded:
 * exactly COUNT datagrams, at most PER_MILLISECOND per millisecond. Prints "sent N".
 */
public final class UdpMutator {
  private static final int[] BYTES = {0, 1, 0x7f, 0x80, 0xff};
  private static final int[] WORDS = {0, 1, 3, 4, 5, 8, 0x7fff, 0x8000, 0xffff};

  private UdpMutator() {}

  public static void main(String[] args) throws Exception {
    InetAddress to = InetAddress.getByName(args[0]);
    List<int[]> ports = new ArrayList<>();
    List<byte[]> messages = new ArrayList<>();
    for (String line : Files.readAllLines(Path.of(args[1]))) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 2 && !f[1].isEmpty()) {
        ports.add(new int[] {Integer.parseInt(f[0])});
        messages.add(HexFormat.of().parseHex(f[1]));
      }
    }
    Random rnd = new Random(Long.parseLong(args[2]));
    int count = Integer.parseInt(args[3]);
    int perMilli = Integer.parseInt(args[4]);
    int sent = 0;
    System.out.println("started");
    try (DatagramSocket s = new DatagramSocket()) {
      for (int i = 0; i < count; i++) {
        int k = rnd.nextInt(messages.size());
        byte[] m = mutate(messages.get(k), messages, rnd);
        s.send(new DatagramPacket(m, m.length, to, ports.get(k)[0]));
        sent++;
        if (i % perMilli == perMilli - 1) {
          Thread.sleep(1);
        }
      }
    }
    System.out.println("sent " + sent);
  }

  static byte[] mutate(byte[] original, List<byte[]> all, Random rnd) {
    byte[] m = original.clone();
    int rounds = rnd.nextInt(8) == 0 ? 2 + rnd.nextInt(4) : 1;
    for (int r = 0; r < rounds && m.length > 0; r++) {
      switch (rnd.nextInt(6)) {
        case 0 -> {
          for (int b = 1 + rnd.nextInt(4); b > 0; b--) {
            int at = rnd.nextInt(m.length * 8);
            m[at / 8] ^= (byte) (1 << (at % 8));
          }
        }
        case 1 -> m[rnd.nextInt(m.length)] = (byte) BYTES[rnd.nextInt(BYTES.length)];
        case 2 -> {
          if (m.length >= 2) {
            int at = rnd.nextInt(m.length - 1);
            int v =
                rnd.nextBoolean()
                    ? WORDS[rnd.nextInt(WORDS.length)]
                    : m.length + rnd.nextInt(3) - 1;
            m[at] = (byte) (v >>> 8);
            m[at + 1] = (byte) v;
          }
        }
        case 3 -> m = Arrays.copyOf(m, rnd.nextInt(m.length + 1));
        case 4 -> {
          byte[] extra = new byte[1 + rnd.nextInt(64)];
          rnd.nextBytes(extra);
          byte[] longer = Arrays.copyOf(m, m.length + extra.length);
          System.arraycopy(extra, 0, longer, m.length, extra.length);
          m = longer;
        }
        default -> {
          byte[] other = all.get(rnd.nextInt(all.size()));
          int cut = rnd.nextInt(m.length + 1);
          int from = rnd.nextInt(other.length + 1);
          byte[] spliced = Arrays.copyOf(m, cut + other.length - from);
          System.arraycopy(other, from, spliced, cut, other.length - from);
          m = spliced;
        }
      }
    }
    return m;
  }
}
