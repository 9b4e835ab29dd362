package dev.coati.config;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Jazzer target: the YAML configuration file, loaded whole ({@link ConfigLoader#load}) as if in a
 * directory holding the files the README's examples name (secrets mode 0600, a users file, a
 * banner). Only {@link ConfigException} may escape: every bad input is a file:line error.
 */
class ConfigLoaderFuzzTest {
  private static final Path DIR = directory();

  private static Path directory() {
    try {
      Path d = Files.createTempDirectory("rg-fuzz-config");
      secret(d, "psk.txt", "s3cret-group-key\n");
      secret(d, "branch.psk", "branch-key\n");
      secret(d, "radius.secret", "radius-secret\n");
      secret(d, "l2tp-secret.txt", "l2tp-secret\n");
      Files.writeString(d.resolve("users.txt"), "alice:{plain}wonderland\nbob:{plain}builder\n");
      Files.writeString(d.resolve("motd.txt"), "Welcome to the test gateway\n");
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(d)));
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void secret(Path d, String name, String value) throws IOException {
    Path f = d.resolve(name);
    Files.writeString(f, value);
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
  }

  private static void delete(Path d) {
    try (Stream<Path> s = Files.walk(d)) {
      s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort at exit
    }
  }

  @FuzzTest
  void load(byte[] yaml) {
    try {
      ConfigLoader.load(DIR.resolve("coati.yaml"), new String(yaml, StandardCharsets.UTF_8));
    } catch (ConfigException expected) {
      // the documented file:line error
    }
  }
}
