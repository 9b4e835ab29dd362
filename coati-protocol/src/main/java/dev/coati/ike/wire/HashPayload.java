package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * Hash payload (RFC 2408 section 3.11).
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * ~                          data (variable)                         ~
 * </pre>
 */
public record HashPayload(byte[] data) implements Payload {
  public HashPayload {
    data = data.clone();
  }

  public static HashPayload decodeBody(ByteReader body) {
    return new HashPayload(body.rest());
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public PayloadType type() {
    return PayloadType.HASH;
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.bytes(data);
  }

  @Override
  public int bodyLength() {
    return data.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HashPayload p && OpaquePayloads.eq(p.data, data);
  }

  @Override
  public int hashCode() {
    return OpaquePayloads.hash(data);
  }

  @Override
  public String toString() {
    return "HashPayload[" + OpaquePayloads.hex(data) + "]";
  }
}
