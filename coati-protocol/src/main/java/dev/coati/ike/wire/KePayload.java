package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * Key Exchange payload (RFC 2408 section 3.7): the DH public value.
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * ~                          keyData (variable)                         ~
 * </pre>
 */
public record KePayload(byte[] keyData) implements Payload {
  public KePayload {
    keyData = keyData.clone();
  }

  public static KePayload decodeBody(ByteReader body) {
    return new KePayload(body.rest());
  }

  @Override
  public byte[] keyData() {
    return keyData.clone();
  }

  @Override
  public PayloadType type() {
    return PayloadType.KE;
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.bytes(keyData);
  }

  @Override
  public int bodyLength() {
    return keyData.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KePayload p && OpaquePayloads.eq(p.keyData, keyData);
  }

  @Override
  public int hashCode() {
    return OpaquePayloads.hash(keyData);
  }

  @Override
  public String toString() {
    return "KePayload[" + OpaquePayloads.hex(keyData) + "]";
  }
}
