package dev.coati.interop;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.HexFormat;

/**
 * Sends one UDP datagram (hex payload) from port {@code args[3]} and waits {@code args[4]} ms for
 * an answer: prints {@code REPLY <hex>}, {@code UNREACHABLE} (ICMP port unreachable) or {@code
 * NONE}. Run inside a test namespace with {@code ip netns exec}.
 */
public final class UdpProbe {
  private UdpProbe() {}

  public static void main(String[] args) throws Exception {
    byte[] payload = HexFormat.of().parseHex(args[2]);
    InetAddress to = InetAddress.getByName(args[0]);
    int port = Integer.parseInt(args[1]);
    try (DatagramSocket s = new DatagramSocket(Integer.parseInt(args[3]))) {
      s.connect(to, port); // a connected socket reports ICMP port unreachable
      s.setSoTimeout(Integer.parseInt(args[4]));
      s.send(new DatagramPacket(payload, payload.length));
      byte[] buf = new byte[2048];
      DatagramPacket in = new DatagramPacket(buf, buf.length);
      try {
        s.receive(in);
        System.out.println("REPLY " + HexFormat.of().formatHex(buf, 0, in.getLength()));
      } catch (java.net.PortUnreachableException e) {
        System.out.println("UNREACHABLE");
      } catch (SocketTimeoutException e) {
        System.out.println("NONE");
      }
    }
  }
}
