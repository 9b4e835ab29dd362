package dev.coati.server.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * {@code coati --version}: the project version and the git commit the jar was built from, both
 * recorded at build time: {@code dev/coati/version.properties} (Maven resource filtering) and
 * {@code dev/coati/commit.txt} ({@code git describe --dirty} run by the build). A build outside a
 * git checkout says "commit unknown".
 */
public final class VersionInfo implements IVersionProvider {
  private static final String RESOURCE = "/dev/coati/version.properties";
  private static final String COMMIT = "/dev/coati/commit.txt";

  @Override
  public String[] getVersion() {
    return new String[] {line(), "Java " + Runtime.version() + " (" + javaVendor() + ")"};
  }

  /** One line: {@code coati 0.1.0 (commit 1a2b3c4)}, {@code +dirty} for uncommitted changes. */
  public static String line() {
    Properties p = new Properties();
    try (InputStream in = VersionInfo.class.getResourceAsStream(RESOURCE)) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // reported as unknown below
    }
    String version = known(p.getProperty("version"));
    String commit = commit();
    return "coati "
        + (version == null ? "(version unknown)" : version)
        + (commit == null ? " (commit unknown)" : " (commit " + commit + ")");
  }

  /** The abbreviated commit, with "-dirty" for a build with uncommitted changes; or null. */
  static String commit() {
    try (InputStream in = VersionInfo.class.getResourceAsStream(COMMIT)) {
      if (in == null) {
        return null;
      }
      String c = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
      return c.matches("[0-9a-f]{7,40}(-dirty)?") ? c : null;
    } catch (IOException e) {
      return null;
    }
  }

  private static String known(String v) {
    return v == null || v.isBlank() || v.startsWith("${") ? null : v;
  }

  private static String javaVendor() {
    return System.getProperty("java.vendor", "unknown vendor");
  }
}
