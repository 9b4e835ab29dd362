package dev.coati.crypto;

/** One side of a Diffie-Hellman exchange in a given group. */
public interface KeyExchange {
  DhGroup group();

  /** Our public value in the IKE encoding (MODP: prime length; ECP: x‖y; Curve25519: u). */
  byte[] publicKey();

  /** The shared secret g^xy (ECP: x coordinate, RFC 5903), after validating the peer's value. */
  Secret agree(byte[] peerPublic);

  void destroy();
}
