package dev.coati.crypto;

/** A peer's public DH/ECDH value is malformed or unsafe (wrong length, out of range, off-curve). */
public final class InvalidPeerKeyException extends CryptoException {
  public InvalidPeerKeyException(String message) {
    super(message);
  }
}
