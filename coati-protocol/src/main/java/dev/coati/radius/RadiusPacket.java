package dev.coati.radius;

import java.util.List;
import java.util.Optional;

/**
 * A RADIUS packet (RFC 2865 section 3): code, identifier, the 16-byte authenticator and the
 * attributes in order. {@link RadiusCodec} turns it into bytes and back.
 */
public record RadiusPacket(
    int code, int identifier, byte[] authenticator, List<RadiusAttribute> attributes) {
  public static final int AUTHENTICATOR_LENGTH = 16;

  public RadiusPacket {
    if (code < 0 || code > 255 || identifier < 0 || identifier > 255) {
      throw new IllegalArgumentException("code and identifier are one byte each");
    }
    if (authenticator.length != AUTHENTICATOR_LENGTH) {
      throw new IllegalArgumentException("the authenticator is 16 bytes");
    }
    attributes = List.copyOf(attributes);
  }

  /** The first standard attribute of {@code type}. */
  public Optional<RadiusAttribute> find(int type) {
    return find(0, type);
  }

  /** The first attribute of {@code vendor} (0: standard) and {@code type}. */
  public Optional<RadiusAttribute> find(int vendor, int type) {
    return attributes.stream().filter(a -> a.is(vendor, type)).findFirst();
  }

  /** This packet with other attributes. */
  public RadiusPacket with(List<RadiusAttribute> attrs) {
    return new RadiusPacket(code, identifier, authenticator, attrs);
  }

  @Override
  public String toString() {
    return Radius.codeName(code) + "[id=" + identifier + ", " + attributes + "]";
  }
}
