package dev.coati.nativeio.udp;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A loopback packet-rate check (not a test): one thread sends batches of 64 datagrams to 127.0.0.1,
 * the caller receives them through a {@link Poller} for a few seconds and prints datagrams per
 * second. Usage: {@code UdpRate native|jdk SIZE SECONDS}.
 */
public final class UdpRate {
  private UdpRate() {}

  public static void main(String[] args) throws Exception {
    UdpSockets s = UdpSockets.choose(args[0], null, UdpSockets::trial);
    int size = Integer.parseInt(args[1]);
    long millis = Long.parseLong(args[2]) * 1000;
    int lo = Datagrams.ipv4(new byte[] {127, 0, 0, 1});
    UdpOptions o = new UdpOptions(64, 2048, 4 << 20, 4 << 20);
    try (UdpBind rx = s.open(lo, 0, o);
        UdpBind tx = s.open(lo, 0, o);
        Poller p = s.poller(List.of(rx))) {
      AtomicBoolean stop = new AtomicBoolean();
      Thread sender =
          new Thread(
              () -> {
                Datagrams out = new Datagrams(64, 2048);
                for (int i = 0; i < 64; i++) {
                  out.set(i, size, lo, rx.localPort());
                }
                while (!stop.get()) {
                  tx.send(out, 64);
                }
              });
      sender.start();
      Datagrams in = new Datagrams(64, 2048);
      long received = 0;
      long calls = 0;
      long start = System.nanoTime();
      long end = start + millis * 1_000_000;
      while (System.nanoTime() < end) {
        if (p.await(100) > 0) {
          received += rx.receive(in);
          calls++;
        }
      }
      double secs = (System.nanoTime() - start) / 1e9;
      stop.set(true);
      sender.join();
      System.out.printf(
          "%s %d B: %.0f datagrams/s received, %.1f per receive call, %d send drops%n",
          s.backend(),
          size,
          received / secs,
          received / (double) Math.max(1, calls),
          tx.sendDrops());
    }
  }
}
