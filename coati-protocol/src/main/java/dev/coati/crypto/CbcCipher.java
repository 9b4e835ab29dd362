package dev.coati.crypto;

/** A block cipher in CBC mode without padding: lengths must be multiples of the block size. */
public interface CbcCipher {
  int blockSize();

  byte[] encrypt(byte[] iv, byte[] plain);

  byte[] decrypt(byte[] iv, byte[] cipherText);
}
