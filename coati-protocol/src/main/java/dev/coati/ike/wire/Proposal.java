package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Proposal payload body (RFC 2408 section 3.5), with its transforms as nested payloads.
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !  Proposal #   !  Protocol-Id  !    SPI Size   !# of Transforms!
 * ~                        SPI (variable)                         ~
 * ~                        Transforms                             ~
 * </pre>
 */
public record Proposal(int number, ProtocolId protocolId, byte[] spi, List<Transform> transforms) {
  public Proposal {
    spi = spi.clone();
    transforms = List.copyOf(transforms);
  }

  @Override
  public byte[] spi() {
    return spi.clone();
  }

  static Proposal decodeBody(ByteReader body) {
    int number = body.u8();
    ProtocolId proto = ProtocolId.valueOf(body.u8());
    int spiSize = body.u8();
    int count = body.u8();
    byte[] spi = body.bytes(spiSize);
    if (count > Limits.MAX_TRANSFORMS) {
      throw new MalformedPacketException("too many transforms");
    }
    List<Transform> ts = new ArrayList<>();
    int next = PayloadType.TRANSFORM.code();
    for (int i = 0; i < count; i++) {
      if (next != PayloadType.TRANSFORM.code()) {
        throw new MalformedPacketException(NotifyType.BAD_PROPOSAL_SYNTAX, "transform chain");
      }
      next = body.u8();
      body.skip(1);
      int len = body.u16();
      if (len < 8) {
        throw new MalformedPacketException("transform length " + len);
      }
      ts.add(Transform.decodeBody(body.slice(len - 4)));
    }
    if (next != PayloadType.NONE.code()) {
      throw new MalformedPacketException(NotifyType.BAD_PROPOSAL_SYNTAX, "transform count");
    }
    if (body.hasRemaining()) {
      throw new MalformedPacketException(NotifyType.BAD_PROPOSAL_SYNTAX, "proposal length");
    }
    return new Proposal(number, proto, spi, ts);
  }

  void encodeBody(ByteWriter out) {
    out.u8(number).u8(protocolId.code()).u8(spi.length).u8(transforms.size()).bytes(spi);
    for (int i = 0; i < transforms.size(); i++) {
      Transform t = transforms.get(i);
      out.u8(i + 1 < transforms.size() ? PayloadType.TRANSFORM.code() : 0).u8(0);
      out.u16(4 + t.bodyLength());
      t.encodeBody(out);
    }
  }

  int bodyLength() {
    int n = 4 + spi.length;
    for (Transform t : transforms) {
      n += 4 + t.bodyLength();
    }
    return n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Proposal p
        && p.number == number
        && p.protocolId.equals(protocolId)
        && OpaquePayloads.eq(p.spi, spi)
        && p.transforms.equals(transforms);
  }

  @Override
  public int hashCode() {
    return number * 31 + OpaquePayloads.hash(spi) + transforms.hashCode();
  }

  @Override
  public String toString() {
    return "Proposal["
        + number
        + " "
        + protocolId
        + " spi="
        + OpaquePayloads.hex(spi)
        + " "
        + transforms
        + "]";
  }
}
