package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Delete payload (RFC 2408 section 3.15).
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !              Domain of Interpretation  (DOI)                  !
 * !  Protocol-Id  !   SPI Size    !           # of SPIs           !
 * ~               Security Parameter Index(es) (SPI)              ~
 * </pre>
 */
public record DeletePayload(int doi, ProtocolId protocolId, int spiSize, List<byte[]> spis)
    implements Payload {
  public DeletePayload {
    List<byte[]> copy = new ArrayList<>();
    for (byte[] s : spis) {
      if (s.length != spiSize) {
        throw new IllegalArgumentException("SPI of " + s.length + " bytes, size says " + spiSize);
      }
      copy.add(s.clone());
    }
    spis = List.copyOf(copy);
  }

  @Override
  public List<byte[]> spis() {
    return spis.stream().map(byte[]::clone).toList();
  }

  public static DeletePayload decodeBody(ByteReader body) {
    int doi = body.i32();
    ProtocolId proto = ProtocolId.valueOf(body.u8());
    int spiSize = body.u8();
    int count = body.u16();
    if (count > Limits.MAX_SPIS) {
      throw new MalformedPacketException("delete with " + count + " SPIs");
    }
    List<byte[]> spis = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      spis.add(body.bytes(spiSize));
    }
    if (body.hasRemaining()) {
      throw new MalformedPacketException("delete payload length");
    }
    return new DeletePayload(doi, proto, spiSize, spis);
  }

  @Override
  public PayloadType type() {
    return PayloadType.DELETE;
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.i32(doi).u8(protocolId.code()).u8(spiSize).u16(spis.size());
    for (byte[] s : spis) {
      out.bytes(s);
    }
  }

  @Override
  public int bodyLength() {
    return 8 + spiSize * spis.size();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof DeletePayload p)
        || p.doi != doi
        || !p.protocolId.equals(protocolId)
        || p.spiSize != spiSize
        || p.spis.size() != spis.size()) {
      return false;
    }
    for (int i = 0; i < spis.size(); i++) {
      if (!Arrays.equals(p.spis.get(i), spis.get(i))) {
        return false;
      }
    }
    return true;
  }

  @Override
  public int hashCode() {
    return protocolId.code() * 31 + spis.size();
  }
}
