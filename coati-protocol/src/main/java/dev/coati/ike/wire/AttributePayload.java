package dev.coati.ike.wire;

import dev.coati.util.ByteReader;
import dev.coati.util.ByteWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * Attribute payload for ISAKMP mode config and Xauth (draft-dukes-ike-mode-cfg section 3.2).
 *
 * <pre>
 * ! Next Payload  !   RESERVED    !         Payload Length        !
 * !     Type      !   RESERVED    !           Identifier          !
 * ~                           Attributes                          ~
 * </pre>
 */
public record AttributePayload(int cfgType, int identifier, List<Attribute> attributes)
    implements Payload {
  public static final int CFG_REQUEST = 1;
  public static final int CFG_REPLY = 2;
  public static final int CFG_SET = 3;
  public static final int CFG_ACK = 4;

  public AttributePayload {
    attributes = List.copyOf(attributes);
  }

  public static AttributePayload decodeBody(ByteReader body) {
    int type = body.u8();
    body.skip(1);
    int id = body.u16();
    List<Attribute> attrs = new ArrayList<>();
    while (body.hasRemaining()) {
      if (attrs.size() >= Limits.MAX_ATTRIBUTES) {
        throw new MalformedPacketException("too many attributes");
      }
      attrs.add(Attribute.decode(body));
    }
    return new AttributePayload(type, id, attrs);
  }

  @Override
  public PayloadType type() {
    return PayloadType.ATTRIBUTE;
  }

  @Override
  public void encodeBody(ByteWriter out) {
    out.u8(cfgType).u8(0).u16(identifier);
    for (Attribute a : attributes) {
      a.encode(out);
    }
  }

  @Override
  public int bodyLength() {
    int n = 4;
    for (Attribute a : attributes) {
      n += a.encodedLength();
    }
    return n;
  }
}
