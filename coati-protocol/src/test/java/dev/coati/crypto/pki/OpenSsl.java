package dev.coati.crypto.pki;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code /usr/bin/openssl} (OpenSSL 3, a Debian base package that {@code .ci/run} installs) as
 * the independent implementation our PKI code is checked against. A missing binary fails the test
 * with a message saying so; it never skips.
 */
public final class OpenSsl {
  public static final Path BINARY = Path.of("/usr/bin/openssl");

  private OpenSsl() {}

  /** Runs openssl with {@code args} in {@code dir}; fails the test unless it exits 0. */
  public static String run(Path dir, String... args) {
    Result r = exec(dir, args);
    if (r.exit != 0) {
      fail("openssl " + String.join(" ", args) + " exited " + r.exit + ":\n" + r.output);
    }
    return r.output;
  }

  /** Runs openssl with {@code args} in {@code dir} and returns its exit code and output. */
  public static Result exec(Path dir, String... args) {
    if (!Files.isExecutable(BINARY)) {
      fail(BINARY + " not found: install the Debian package 'openssl' (see .ci/run)");
    }
    List<String> cmd = new ArrayList<>(List.of(BINARY.toString()));
    cmd.addAll(List.of(args));
    try {
      Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        fail("openssl " + String.join(" ", args) + " did not finish");
      }
      return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return fail("cannot run " + BINARY + ": " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return fail("interrupted");
    }
  }

  public record Result(int exit, String output) {}
}
