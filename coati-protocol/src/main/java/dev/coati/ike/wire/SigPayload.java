package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;

/**
 * Signature payload (RFC 2408 section 3.12).
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * ~                          data (variable)                         ~
 * </pre>
 */
public record SigPayload(byte[] data) implements Payload {
  public SigPayload {
    data = data.clone();
  }

  public static SigPayload decodeBody(ByteReader body) {
    return new SigPayload(body.rest());
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  @Override
  public PayloadType type() {
    return PayloadType.SIG;
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
    return o instanceof SigPayload p && OpaquePayloads.eq(p.data, data);
  }

  @Override
  public int hashCode() {
    return OpaquePayloads.hash(data);
  }

  @Override
  public String toString() {
    return "SigPayload[" + OpaquePayloads.hex(data) + "]";
  }
}
