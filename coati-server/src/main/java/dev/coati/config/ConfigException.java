package dev.coati.config;

/** A configuration error that names the file, the line, the key and what to do. */
public final class ConfigException extends Exception {
  public ConfigException(String file, int line, String key, String message) {
    super(file + ":" + line + ": " + (key.isEmpty() ? "" : key + ": ") + message);
  }
}
