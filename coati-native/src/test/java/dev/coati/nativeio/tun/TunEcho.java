package dev.coati.nativeio.tun;

/**
 * Test program: opens a TUN device and answers ICMP echo requests to any address routed into it
 * (swapping source and destination), so a ping through the device proves read and write work.
 * Usage: TunEcho NAME ADDRESS PREFIX COUNT. Runs inside a network namespace made by the test.
 */
public final class TunEcho {
  private TunEcho() {}

  public static void main(String[] args) throws Exception {
    String[] a = args[1].split("\\.");
    byte[] addr = new byte[4];
    for (int i = 0; i < 4; i++) {
      addr[i] = (byte) Integer.parseInt(a[i]);
    }
    int count = Integer.parseInt(args[3]);
    try (LinuxTun tun = LinuxTun.open(args[0], addr, Integer.parseInt(args[2]), 1400)) {
      System.out.println("ready " + tun.name());
      System.out.flush();
      byte[] buf = new byte[2048];
      int answered = 0;
      for (int n = 0; n < 1000 && answered < count; n++) {
        int len = tun.read(buf, 0, buf.length);
        if (echo(buf, len)) {
          tun.write(buf, 0, len);
          answered++;
        }
      }
      System.out.println("answered " + answered);
    }
  }

  /** Turns an IPv4 ICMP echo request into its reply in place. */
  static boolean echo(byte[] p, int len) {
    int ihl = (p[0] & 0x0f) * 4;
    if (len < ihl + 8 || (p[0] & 0xf0) != 0x40 || p[9] != 1 || p[ihl] != 8) {
      return false;
    }
    for (int i = 0; i < 4; i++) {
      byte t = p[12 + i];
      p[12 + i] = p[16 + i];
      p[16 + i] = t;
    }
    p[ihl] = 0;
    p[ihl + 2] = 0;
    p[ihl + 3] = 0;
    int sum = 0;
    for (int i = ihl; i < len; i += 2) {
      int hi = p[i] & 0xff;
      int lo = i + 1 < len ? p[i + 1] & 0xff : 0;
      sum += (hi << 8) | lo;
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    sum = ~sum & 0xffff;
    p[ihl + 2] = (byte) (sum >>> 8);
    p[ihl + 3] = (byte) sum;
    return true;
  }
}
