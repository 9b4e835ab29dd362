package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import dev.coati.util.LogSafe;
import java.nio.charset.StandardCharsets;

/**
 * Identification payload with the IPsec DOI fields (RFC 2407 section 4.6.2).
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !        Payload Length         !
 * !   ID Type     !  Protocol ID  !             Port              !
 * ~                     Identification Data                       ~
 * </pre>
 */
public record IdPayload(IdType idType, int protocol, int port, byte[] data) implements Payload {
  public IdPayload {
    data = data.clone();
  }

  public static IdPayload ipv4(byte[] address) {
    if (address.length != 4) {
      throw new IllegalArgumentException("IPv4 address must be 4 bytes");
    }
    return new IdPayload(IdType.IPV4_ADDR, 0, 0, address);
  }

  public static IdPayload fqdn(String name) {
    return new IdPayload(IdType.FQDN, 0, 0, name.getBytes(StandardCharsets.US_ASCII));
  }

  public static IdPayload userFqdn(String name) {
    return new IdPayload(IdType.USER_FQDN, 0, 0, name.getBytes(StandardCharsets.UTF_8));
  }

  public static IdPayload keyId(byte[] id) {
    return new IdPayload(IdType.KEY_ID, 0, 0, id);
  }

  public static IdPayload ipv4Subnet(byte[] address, byte[] mask) {
    return new IdPayload(IdType.IPV4_ADDR_SUBNET, 0, 0, concat(address, mask));
  }

  public static IdPayload ipv4Range(byte[] from, byte[] to) {
    return new IdPayload(IdType.IPV4_ADDR_RANGE, 0, 0, concat(from, to));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    if (a.length != 4 || b.length != 4) {
      throw new IllegalArgumentException("IPv4 addresses must be 4 bytes");
    }
    return new ByteWriter(8).bytes(a).bytes(b).toByteArray();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public static IdPayload decodeBody(ByteReader body) {
    IdType t = IdType.valueOf(body.u8());
    int proto = body.u8();
    int port = body.u16();
    return new IdPayload(t, proto, port, body.rest());
  }

  @Override
  public PayloadType type() {
    return PayloadType.ID;
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.u8(idType.code()).u8(protocol).u16(port).bytes(data);
  }

  @Override
  public int bodyLength() {
    return 4 + data.length;
  }

  /**
   * A readable form for logs and messages: addresses dotted, names as text, a key ID as {@code
   * keyid:TEXT} when it is printable ASCII, others hex. Names are the peer's text: a log line
   * escapes it ({@link LogSafe}) like every peer string.
   */
  public String describe() {
    int t = idType.code();
    if (t == 2 || t == 3) {
      return new String(data, StandardCharsets.UTF_8);
    }
    if (t == IdType.KEY_ID.code() && LogSafe.isPrintableAscii(data)) {
      return "keyid:" + new String(data, StandardCharsets.US_ASCII);
    }
    if ((t == 1 && data.length == 4) || ((t == 4 || t == 7) && data.length == 8)) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < data.length; i++) {
        sb.append(i == 0 ? "" : i == 4 ? (t == 4 ? "/" : "-") : ".").append(data[i] & 0xff);
      }
      return sb.toString();
    }
    return idType + ":" + OpaquePayloads.hex(data);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdPayload p
        && p.idType.equals(idType)
        && p.protocol == protocol
        && p.port == port
        && OpaquePayloads.eq(p.data, data);
  }

  @Override
  public int hashCode() {
    return idType.code() * 31 + protocol * 7 + port + OpaquePayloads.hash(data);
  }

  @Override
  public String toString() {
    return "ID["
        + idType
        + " "
        + describe()
        + (protocol != 0 ? " " + protocol + "/" + port : "")
        + "]";
  }
}
