package dev.coati.radius;

/**
 * A RADIUS packet that cannot be decoded or does not verify; the only exception the codec throws.
 */
public final class RadiusException extends Exception {
  public RadiusException(String message) {
    super(message);
  }
}
