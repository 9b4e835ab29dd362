package dev.coati.radius;

/**
 * A RADIUS packet that cannot be decoded or does not verify; the only exception the codec throws.
 * {@link DynamicAuthException} adds the Error-Cause a Dynamic Authorization request is refused
 * with.
 */
public class RadiusException extends Exception {
  public RadiusException(String message) {
    super(message);
  }
}
