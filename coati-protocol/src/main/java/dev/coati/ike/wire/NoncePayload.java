package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * Nonce payload (RFC 2408 section 3.13).
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * ~                          data (variable)                         ~
 * </pre>
 */
public record NoncePayload(byte[] data) implements Payload {
  public NoncePayload {
    data = data.clone();
  }

  public static NoncePayload decodeBody(ByteReader body) {
    return new NoncePayload(body.rest());
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public PayloadType type() {
    return PayloadType.NONCE;
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
    return o instanceof NoncePayload p && OpaquePayloads.eq(p.data, data);
  }

  @Override
  public int hashCode() {
    return OpaquePayloads.hash(data);
  }

  @Override
  public String toString() {
    return "NoncePayload[" + OpaquePayloads.hex(data) + "]";
  }
}
