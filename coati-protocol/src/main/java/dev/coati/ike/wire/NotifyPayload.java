package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * Notification payload (RFC 2408 section 3.14).
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !              Domain of Interpretation  (DOI)                  !
 * !  Protocol-ID  !   SPI Size    !      Notify Message Type      !
 * ~                Security Parameter Index (SPI)                 ~
 * ~                       Notification Data                       ~
 * </pre>
 */
public record NotifyPayload(
    int doi, ProtocolId protocolId, NotifyType notifyType, byte[] spi, byte[] data)
    implements Payload {
  public NotifyPayload {
    spi = spi.clone();
    data = data.clone();
    if (spi.length > 255) {
      throw new IllegalArgumentException("SPI too long");
    }
  }

  @Override
  public byte[] spi() {
    return spi.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  public static NotifyPayload decodeBody(ByteReader body) {
    int doi = body.i32();
    ProtocolId proto = ProtocolId.valueOf(body.u8());
    int spiSize = body.u8();
    NotifyType type = NotifyType.valueOf(body.u16());
    byte[] spi = body.bytes(spiSize);
    return new NotifyPayload(doi, proto, type, spi, body.rest());
  }

  @Override
  public PayloadType type() {
    return PayloadType.NOTIFY;
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.i32(doi).u8(protocolId.code()).u8(spi.length).u16(notifyType.code()).bytes(spi).bytes(data);
  }

  @Override
  public int bodyLength() {
    return 8 + spi.length + data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NotifyPayload p
        && p.doi == doi
        && p.protocolId.equals(protocolId)
        && p.notifyType.equals(notifyType)
        && OpaquePayloads.eq(p.spi, spi)
        && OpaquePayloads.eq(p.data, data);
  }

  @Override
  public int hashCode() {
    return notifyType.code() * 31 + OpaquePayloads.hash(spi) + OpaquePayloads.hash(data);
  }

  @Override
  public String toString() {
    return "N(" + notifyType + ")";
  }
}
