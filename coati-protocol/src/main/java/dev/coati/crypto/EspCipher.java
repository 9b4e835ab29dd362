package dev.coati.crypto;

import java.security.GeneralSecurityException;
import javax.crypto.Cipher;

/**
 * ESP encryption transforms with their IPsec DOI ids (RFC 2407 section 4.4.4; AES-CBC RFC 3602;
 * AES-GCM RFC 4106 with 8/12/16-byte ICVs, keyed with a 4-byte salt after the AES key).
 */
public enum EspCipher {
  ESP_DES(2, "DES/CBC/NoPadding", "DES", 8, 8, new int[] {64}, 0, 0, true),
  ESP_3DES(3, "DESede/CBC/NoPadding", "DESede", 8, 8, new int[] {192}, 0, 0, false),
  ESP_NULL(11, null, null, 1, 0, new int[] {0}, 0, 0, true),
  ESP_AES_CBC(12, "AES/CBC/NoPadding", "AES", 16, 16, new int[] {128, 192, 256}, 0, 0, false),
  ESP_AES_GCM_8(18, "AES/GCM/NoPadding", "AES", 4, 8, new int[] {128, 192, 256}, 4, 8, false),
  ESP_AES_GCM_12(19, "AES/GCM/NoPadding", "AES", 4, 8, new int[] {128, 192, 256}, 4, 12, false),
  ESP_AES_GCM_16(20, "AES/GCM/NoPadding", "AES", 4, 8, new int[] {128, 192, 256}, 4, 16, false);

  private final int transformId;
  private final String transformation;
  private final String keyAlg;
  private final int blockSize;
  private final int ivLength;
  private final int[] keyLengths;
  private final int saltLength;
  private final int icvLength;
  private final boolean legacy;

  EspCipher(
      int id,
      String tr,
      String keyAlg,
      int block,
      int iv,
      int[] keys,
      int salt,
      int icv,
      boolean legacy) {
    this.transformId = id;
    this.transformation = tr;
    this.keyAlg = keyAlg;
    this.blockSize = block;
    this.ivLength = iv;
    this.keyLengths = keys;
    this.saltLength = salt;
    this.icvLength = icv;
    this.legacy = legacy;
  }

  public int transformId() {
    return transformId;
  }

  /** Key lengths in bits (without the GCM salt). */
  public int[] keyLengths() {
    return keyLengths.clone();
  }

  public int saltLength() {
    return saltLength;
  }

  public int ivLength() {
    return ivLength;
  }

  /** Padding block of the payload (RFC 4303 section 2.4; 4 for GCM and NULL). */
  public int blockSize() {
    return blockSize;
  }

  public boolean aead() {
    return saltLength > 0;
  }

  /** ICV length of the AEAD transforms (0 for the others). */
  public int icvLength() {
    return icvLength;
  }

  public boolean legacy() {
    return legacy;
  }

  String transformation() {
    return transformation;
  }

  String keyAlg() {
    return keyAlg;
  }

  public boolean isSupported() {
    if (transformation == null) {
      return true;
    }
    try {
      Cipher.getInstance(transformation);
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }
}
