package dev.coati.server.log;

import dev.coati.util.LogSafe;

/**
 * Builds the stable {@code key=value} body of an event line: {@code ike[1a2b] IKE SA established
 * peer=192.0.2.7:4500 user=alice ...}. Every value goes through {@link LogSafe#value}, so a value a
 * peer chose can neither end the line nor pose as another field. Keys are fixed lower-case words.
 */
public final class Kv {
  private final StringBuilder sb;

  private Kv(String head) {
    sb = new StringBuilder(128).append(head);
  }

  /** A line starting with the SA or session name and the event words (no peer text in these). */
  public static Kv line(String name, String event) {
    return new Kv(name + " " + event);
  }

  /** Adds {@code key=value}; a null value is left out. */
  public Kv add(String key, Object value) {
    if (value != null) {
      sb.append(' ').append(key).append('=').append(LogSafe.value(value.toString()));
    }
    return this;
  }

  /** Adds {@code key=value} for a number. */
  public Kv add(String key, long value) {
    sb.append(' ').append(key).append('=').append(value);
    return this;
  }

  @Override
  public String toString() {
    return sb.toString();
  }
}
