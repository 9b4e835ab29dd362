package dev.coati.testing;

import dev.coati.util.ByteWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes UDP datagrams into a classic pcap file (LINKTYPE_RAW, IPv4) so third-party decoders can
 * read what our encoders produce. Nothing is sent anywhere: it is only a file.
 */
public final class PcapWriter {
  /**
   * One IPv4 packet: a UDP datagram between two endpoints, or (with {@link #raw}) any other IP
   * protocol, such as ESP (50).
   */
  public record Packet(
      byte[] src, int srcPort, byte[] dst, int dstPort, byte[] payload, int protocol) {
    public Packet(byte[] src, int srcPort, byte[] dst, int dstPort, byte[] payload) {
      this(src, srcPort, dst, dstPort, payload, 17);
    }

    public static Packet raw(byte[] src, byte[] dst, int protocol, byte[] payload) {
      return new Packet(src, 0, dst, 0, payload, protocol);
    }
  }

  private PcapWriter() {}

  public static void write(Path file, List<Packet> packets) throws IOException {
    writeRaw(file, packets.stream().map(PcapWriter::ipv4Udp).toList());
  }

  /** Writes complete IPv4 packets as they are (LINKTYPE_RAW), checksums and all. */
  public static void writeRaw(Path file, List<byte[]> ipPackets) throws IOException {
    ByteWriter w = new ByteWriter(4096);
    // global header, little-endian: magic, v2.4, tz 0, sigfigs 0, snaplen, LINKTYPE_RAW (101)
    le32(w, 0xa1b2c3d4);
    le16(w, 2);
    le16(w, 4);
    le32(w, 0);
    le32(w, 0);
    le32(w, 65535);
    le32(w, 101);
    int t = 1;
    for (byte[] ip : ipPackets) {
      le32(w, t++);
      le32(w, 0);
      le32(w, ip.length);
      le32(w, ip.length);
      w.bytes(ip);
    }
    Files.write(file, w.toByteArray());
  }

  /** An IPv4 packet with a correct header checksum (UDP checksum 0: allowed over IPv4). */
  public static byte[] ipv4Udp(Packet p) {
    boolean udp = p.protocol() == 17;
    int total = 20 + (udp ? 8 : 0) + p.payload().length;
    ByteWriter w = new ByteWriter(total);
    w.u8(0x45).u8(0).u16(total).u16(0).u16(0x4000).u8(64).u8(p.protocol()).u16(0);
    w.bytes(p.src()).bytes(p.dst());
    if (udp) {
      w.u16(p.srcPort()).u16(p.dstPort()).u16(8 + p.payload().length).u16(0);
    }
    w.bytes(p.payload());
    byte[] b = w.toByteArray();
    int sum = 0;
    for (int i = 0; i < 20; i += 2) {
      sum += ((b[i] & 0xff) << 8) | (b[i + 1] & 0xff);
    }
    while ((sum >>> 16) != 0) {
      sum = (sum & 0xffff) + (sum >>> 16);
    }
    int c = ~sum & 0xffff;
    b[10] = (byte) (c >>> 8);
    b[11] = (byte) c;
    return b;
  }

  private static void le32(ByteWriter w, int v) {
    w.u8(v).u8(v >>> 8).u8(v >>> 16).u8(v >>> 24);
  }

  private static void le16(ByteWriter w, int v) {
    w.u8(v).u8(v >>> 8);
  }
}
