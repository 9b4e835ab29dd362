package dev.coati.ike;

import dev.coati.crypto.DhGroup;
import dev.coati.crypto.HashAlg;
import dev.coati.crypto.IkeCipher;
import dev.coati.crypto.IkeProposalSpec;
import dev.coati.ike.wire.Attribute;
import dev.coati.ike.wire.IkeAttr;
import dev.coati.ike.wire.IkeProtocolException;
import dev.coati.ike.wire.Transform;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One phase-1 (ISAKMP SA) transform in typed form: RFC 2409 Appendix A attributes. Parsing accepts
 * attributes in any order and refuses (empty result) what we cannot honour: unknown algorithms,
 * private groups, a PRF attribute, unknown attribute classes.
 */
public record Phase1Transform(
    IkeCipher cipher,
    int keyBits,
    HashAlg hash,
    DhGroup group,
    int authMethod,
    long lifeSeconds,
    long lifeKilobytes) {

  /** RFC 2409 Appendix A transform id KEY_IKE. */
  public static final int KEY_IKE = 1;

  public static Phase1Transform of(IkeProposalSpec spec, int authMethod, long lifeSeconds) {
    return new Phase1Transform(
        spec.cipher(), spec.keyBits(), spec.hash(), spec.group(), authMethod, lifeSeconds, 0);
  }

  /** Whether this transform uses the same algorithms as a configured proposal. */
  public boolean matches(IkeProposalSpec spec) {
    return spec.cipher() == cipher
        && spec.keyBits() == keyBits
        && spec.hash() == hash
        && spec.group() == group
        && (spec.prf() == null || spec.prf() == hash);
  }

  public int keyBytes() {
    return keyBits / 8;
  }

  public static Optional<Phase1Transform> parse(Transform t) {
    if (t.transformId() != KEY_IKE) {
      return Optional.empty();
    }
    try {
      return parseAttributes(t.attributes());
    } catch (IkeProtocolException e) {
      return Optional.empty();
    }
  }

  private static Optional<Phase1Transform> parseAttributes(List<Attribute> attrs) {
    IkeCipher cipher = null;
    HashAlg hash = null;
    DhGroup group = null;
    int keyBits = 0;
    int auth = -1;
    long seconds = 0;
    long kilobytes = 0;
    int lifeType = -1;
    for (Attribute a : attrs) {
      switch (a.type()) {
        case IkeAttr.ENCRYPTION_ALGORITHM -> cipher = cipherById(a.intValue());
        case IkeAttr.HASH_ALGORITHM -> hash = HashAlg.fromIkeId(a.intValue()).orElse(null);
        case IkeAttr.GROUP_DESCRIPTION -> group = DhGroup.fromIkeId(a.intValue()).orElse(null);
        case IkeAttr.AUTH_METHOD -> auth = a.intValue();
        case IkeAttr.KEY_LENGTH -> keyBits = a.intValue();
        case IkeAttr.LIFE_TYPE -> lifeType = a.intValue();
        case IkeAttr.LIFE_DURATION -> {
          if (lifeType == IkeAttr.LIFE_SECONDS) {
            seconds = a.longValue();
          } else if (lifeType == IkeAttr.LIFE_KILOBYTES) {
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
    if (cipher == null || hash == null || group == null || auth < 0) {
      return Optional.empty();
    }
    if (keyBits == 0) {
      keyBits = cipher.variableKeyLength() ? 128 : cipher.keyLengths()[0];
    } else if (!cipher.variableKeyLength() && keyBits != cipher.keyLengths()[0]) {
      return Optional.empty();
    }
    int kb = keyBits;
    if (Arrays.stream(cipher.keyLengths()).noneMatch(k -> k == kb)) {
      return Optional.empty();
    }
    return Optional.of(new Phase1Transform(cipher, keyBits, hash, group, auth, seconds, kilobytes));
  }

  private static IkeCipher cipherById(int id) {
    for (IkeCipher c : IkeCipher.values()) {
      if (c.ikeId() == id) {
        return c;
      }
    }
    return null;
  }

  /** Encodes this transform as the initiator offers it. */
  public Transform toTransform(int number) {
    List<Attribute> attrs = new ArrayList<>();
    attrs.add(Attribute.tv(IkeAttr.ENCRYPTION_ALGORITHM, cipher.ikeId()));
    if (cipher.variableKeyLength()) {
      attrs.add(Attribute.tv(IkeAttr.KEY_LENGTH, keyBits));
    }
    attrs.add(Attribute.tv(IkeAttr.HASH_ALGORITHM, hash.ikeId()));
    attrs.add(Attribute.tv(IkeAttr.GROUP_DESCRIPTION, group.ikeId()));
    attrs.add(Attribute.tv(IkeAttr.AUTH_METHOD, authMethod));
    if (lifeSeconds > 0) {
      attrs.add(Attribute.tv(IkeAttr.LIFE_TYPE, IkeAttr.LIFE_SECONDS));
      attrs.add(Attribute.ofLong(IkeAttr.LIFE_DURATION, lifeSeconds));
    }
    if (lifeKilobytes > 0) {
      attrs.add(Attribute.tv(IkeAttr.LIFE_TYPE, IkeAttr.LIFE_KILOBYTES));
      attrs.add(Attribute.ofLong(IkeAttr.LIFE_DURATION, lifeKilobytes));
    }
    return new Transform(number, KEY_IKE, attrs);
  }

  @Override
  public String toString() {
    return cipher
        + "-"
        + keyBits
        + "/"
        + hash
        + "/"
        + group
        + "/auth="
        + authMethod
        + (lifeSeconds > 0 ? "/" + lifeSeconds + "s" : "");
  }
}
