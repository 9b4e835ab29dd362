package dev.coati.ike;

import dev.coati.crypto.HashAlg;
import dev.coati.crypto.Secret;
import dev.coati.util.RandomSource;

/**
 * Pre-shared keys for identities we do not know (issue #13 finding 5). Aggressive mode answers an
 * unknown group ID exactly as a known one: with a HASH_R under a key derived from a secret drawn at
 * start-up and the ID, so the same ID always gets the same (uncrackable) key, and neither the ID's
 * existence nor whether it has a PSK shows. The exchange then fails at the client's HASH_I, as with
 * a wrong PSK.
 */
final class DecoyKeys {
  private final RandomSource random;
  private Secret secret;

  DecoyKeys(RandomSource random) {
    this.random = random;
  }

  /** The decoy key for an identity payload body (32 bytes, HMAC-SHA-256). */
  Secret forIdentity(byte[] idBody) {
    if (secret == null) {
      secret = Secret.wrap(random.bytes(32)); // drawn at first use, kept until the process ends
    }
    return Secret.wrap(
        HashAlg.SHA2_256.prf().compute(secret, "coati decoy psk".getBytes(), idBody));
  }
}
