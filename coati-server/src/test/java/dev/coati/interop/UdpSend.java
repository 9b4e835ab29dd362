package dev.coati.interop;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.HexFormat;

/**
 * Sends one UDP datagram (hex payload) and exits: run inside a test namespace with {@code ip netns
 * exec} to replay a captured packet as one datagram (a shell's printf may split its output).
 */
public final class UdpSend {
  private UdpSend() {}

  public static void main(String[] args) throws Exception {
    byte[] payload = HexFormat.of().parseHex(args[2]);
    try (DatagramSocket s = new DatagramSocket()) {
      s.send(
          new DatagramPacket(
              payload, payload.length, InetAddress.getByName(args[0]), Integer.parseInt(args[1])));
    }
  }
}
