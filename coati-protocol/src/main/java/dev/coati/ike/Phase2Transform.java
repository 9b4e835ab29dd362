package dev.coati.ike;

import dev.coati.crypto.DhGroup;
import dev.coati.crypto.EspAuth;
import dev.coati.crypto.EspCipher;
import dev.coati.crypto.EspProposalSpec;
import dev.coati.ike.wire.Attribute;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.IpsecAttr;
import dev.coati.ike.wire.Transform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One ESP transform of a quick mode proposal in typed form (RFC 2407 section 4.5 attributes),
 * including the encapsulation mode (tunnel, transport, and their UDP-encapsulated variants from RFC
 * 3947 and the NAT-T drafts).
 */
public record Phase2Transform(
    EspCipher cipher,
    int keyBits,
    EspAuth auth,
    DhGroup pfsGroup,
    int encapsulationMode,
    long lifeSeconds,
    long lifeKilobytes) {

  /** Same cipher, key size and integrity algorithm (PFS is judged separately). */
  public boolean matches(EspProposalSpec spec) {
    return spec.cipher() == cipher && spec.keyBits() == keyBits && spec.auth() == auth;
  }

  /** Tunnel mode (plain or UDP-encapsulated)? */
  public boolean tunnel() {
    return encapsulationMode == IpsecAttr.TUNNEL
        || encapsulationMode == IpsecAttr.UDP_TUNNEL
        || encapsulationMode == IpsecAttr.UDP_TUNNEL_DRAFT;
  }

  /** UDP-encapsulated (RFC 3948)? */
  public boolean udpEncapsulated() {
    return encapsulationMode == IpsecAttr.UDP_TUNNEL
        || encapsulationMode == IpsecAttr.UDP_TRANSPORT
        || encapsulationMode == IpsecAttr.UDP_TUNNEL_DRAFT
        || encapsulationMode == IpsecAttr.UDP_TRANSPORT_DRAFT;
  }

  /** Bytes of KEYMAT this SA needs: cipher key (plus GCM salt) and integrity key. */
  public int keymatLength() {
    return keyBits / 8 + cipher.saltLength() + (auth == null ? 0 : auth.keyLength());
  }

  public static Optional<Phase2Transform> parse(Transform t) {
    EspCipher cipher = cipherById(t.transformId());
    if (cipher == null) {
      return Optional.empty();
    }
    try {
      return parseAttributes(cipher, t.attributes());
    } catch (IkeProtocolException e) {
      return Optional.empty();
    }
  }

  private static Optional<Phase2Transform> parseAttributes(
      EspCipher cipher, List<Attribute> attrs) {
    int keyBits = 0;
    EspAuth auth = null;
    DhGroup group = null;
    int mode = IpsecAttr.TUNNEL;
    long seconds = 0;
    long kilobytes = 0;
    int lifeType = -1;
    for (Attribute a : attrs) {
      switch (a.type()) {
        case IpsecAttr.KEY_LENGTH -> keyBits = a.intValue();
        case IpsecAttr.AUTH_ALGORITHM -> {
          auth = authById(a.intValue());
          if (auth == null) {
            return Optional.empty();
          }
        }
        case IpsecAttr.GROUP_DESCRIPTION -> {
          group = DhGroup.fromIkeId(a.intValue()).orElse(null);
          if (group == null) {
            return Optional.empty();
          }
        }
        case IpsecAttr.ENCAPSULATION_MODE -> mode = a.intValue();
        case IpsecAttr.SA_LIFE_TYPE -> lifeType = a.intValue();
        case IpsecAttr.SA_LIFE_DURATION -> {
          if (lifeType == 1) {
            seconds = a.longValue();
          } else if (lifeType == 2) {
            kilobytes = a.longValue();
          } else {
            return Optional.empty();
          }
        }
        default -> {
          return Optional.empty();
        }
      }
    }
    if (cipher.aead() != (auth == null)) {
      return Optional.empty();
    }
    if (keyBits == 0) {
      keyBits = cipher.keyLengths()[0];
    }
    int kb = keyBits;
    if (Arrays.stream(cipher.keyLengths()).noneMatch(k -> k == kb)) {
      return Optional.empty();
    }
    return Optional.of(new Phase2Transform(cipher, keyBits, auth, group, mode, seconds, kilobytes));
  }

  private static EspCipher cipherById(int id) {
    for (EspCipher c : EspCipher.values()) {
      if (c.transformId() == id) {
        return c;
      }
    }
    return null;
  }

  private static EspAuth authById(int id) {
    for (EspAuth a : EspAuth.values()) {
      if (a.authId() == id && !a.legacyTruncation()) {
        return a;
      }
    }
    return null;
  }

  /** Encodes this transform as an initiator offers it (or a responder echoes it). */
  public Transform toTransform(int number) {
    List<Attribute> attrs = new ArrayList<>();
    if (lifeSeconds > 0) {
      attrs.add(Attribute.tv(IpsecAttr.SA_LIFE_TYPE, 1));
      attrs.add(Attribute.ofLong(IpsecAttr.SA_LIFE_DURATION, lifeSeconds));
    }
    if (lifeKilobytes > 0) {
      attrs.add(Attribute.tv(IpsecAttr.SA_LIFE_TYPE, 2));
      attrs.add(Attribute.ofLong(IpsecAttr.SA_LIFE_DURATION, lifeKilobytes));
    }
    if (pfsGroup != null) {
      attrs.add(Attribute.tv(IpsecAttr.GROUP_DESCRIPTION, pfsGroup.ikeId()));
    }
    attrs.add(Attribute.tv(IpsecAttr.ENCAPSULATION_MODE, encapsulationMode));
    if (auth != null) {
      attrs.add(Attribute.tv(IpsecAttr.AUTH_ALGORITHM, auth.authId()));
    }
    if (cipher.keyLengths().length > 1) {
      attrs.add(Attribute.tv(IpsecAttr.KEY_LENGTH, keyBits));
    }
    return new Transform(number, cipher.transformId(), attrs);
  }
}
