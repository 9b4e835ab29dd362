package dev.coati.crypto;

/**
 * The one interface the ESP data plane sees (strongSwan's aead_create): AES-GCM natively, CBC
 * ciphers wrapped with HMAC (encrypt-then-MAC over AAD‖IV‖ciphertext, RFC 4303 section 3.3.2).
 * Buffers are heap arrays (the performance notes: ~1.9x cheaper than direct buffers with JCE). An
 * instance keeps its JCE objects between packets and is not thread-safe: use one per SA direction
 * and thread.
 */
public interface Aead {
  int ivLength();

  int icvLength();

  /**
   * Encrypts {@code len} bytes of {@code buf} at {@code off} (already padded to the block size)
   * into {@code out} at {@code outOff}, followed by the ICV; returns the bytes written.
   */
  int seal(byte[] iv, byte[] aad, byte[] buf, int off, int len, byte[] out, int outOff);

  /**
   * Verifies and decrypts {@code len} bytes (ciphertext followed by the ICV); returns the plaintext
   * length, or -1 if the ICV does not verify (nothing is decrypted then).
   */
  int open(byte[] iv, byte[] aad, byte[] buf, int off, int len, byte[] out, int outOff);

  /** Creates the transform; {@code key} is cipher key (plus GCM salt) then integrity key. */
  static Aead create(EspCipher cipher, EspAuth auth, Secret key) {
    if (cipher.aead()) {
      return new GcmAead(cipher, key);
    }
    return new CbcHmacAead(cipher, auth, key);
  }
}
