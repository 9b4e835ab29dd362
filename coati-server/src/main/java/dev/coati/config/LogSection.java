package dev.coati.config;

import java.util.Locale;
import java.util.Set;

/** The {@code log:} section: {@code format: text} (the default) or {@code json}. */
final class LogSection {
  private LogSection() {}

  static String parse(YamlNode n) throws ConfigException {
    String format = "text";
    for (YamlNode e : n.entries(Set.of("format"))) {
      format = e.string().strip().toLowerCase(Locale.ROOT);
      if (!format.equals("text") && !format.equals("json")) {
        throw e.error(
            "expected text (one line per event) or json (one JSON object per line), not '"
                + e.string().strip()
                + "'");
      }
    }
    return format;
  }
}
