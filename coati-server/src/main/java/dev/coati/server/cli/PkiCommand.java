package dev.coati.server.cli;

import dev.coati.crypto.pki.CertificateIdentity;
import dev.coati.crypto.pki.CertificateIssuer;
import dev.coati.crypto.pki.CertificateProfiles;
import dev.coati.crypto.pki.CertificateSpec;
import dev.coati.crypto.pki.KeyType;
import dev.coati.crypto.pki.LegacyPkcs12;
import dev.coati.crypto.pki.PemFiles;
import dev.coati.crypto.pki.PkiException;
import dev.coati.crypto.pki.SignatureVerifier;
import dev.coati.crypto.pki.Signer;
import dev.coati.server.cli.CliOptions.UsageException;
import dev.coati.util.RandomSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code coati pki ca|server|client}: a small CA for IKEv1 certificate and hybrid authentication.
 * {@code ca} makes the root (DIR/ca.pem, DIR/ca.key); {@code server} the gateway's certificate with
 * what Apple checks ({@link CertificateProfiles#server}); {@code client} a user's certificate and
 * key as a legacy PKCS#12 file that macOS, iOS, Android and Windows import ({@link LegacyPkcs12}).
 * Private keys are PEM PKCS#8, mode 0600; nothing is overwritten without {@code --force}; the
 * PKCS#12 password is printed once or written to a 0600 file, never logged.
 */
public final class PkiCommand {
  static final String USAGE =
      """
      usage: coati pki ca --out DIR [--cn NAME] [--days N] [--ec] [--force]
             coati pki server --ca DIR --name DNS-NAME|IP [--ip IP]... [--days N] [--ec] [--out DIR] [--force]
             coati pki client --ca DIR --name NAME [--email ADDR] --p12 FILE [--password-file FILE]
                              [--days N] [--ec] [--out DIR] [--force]""";

  private static final String PASSWORD_ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789";

  private final RandomSource random;
  private final Supplier<Instant> clock;
  private final PrintStream out;

  PkiCommand(RandomSource random, Supplier<Instant> clock, PrintStream out) {
    this.random = random;
    this.clock = clock;
    this.out = out;
  }

  /** Runs {@code coati pki ARGS}; returns the exit code (0 done, 1 failed, 2 usage). */
  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return new PkiCommand(RandomSource.secure(), Instant::now, out).execute(args, err);
  }

  int execute(List<String> args, PrintStream err) {
    if (args.isEmpty()) {
      err.println(USAGE);
      return 2;
    }
    List<String> rest = args.subList(1, args.size());
    try {
      switch (args.get(0)) {
        case "ca" -> ca(rest);
        case "server" -> server(rest);
        case "client" -> client(rest);
        default -> throw new UsageException("unknown pki command '" + args.get(0) + "'");
      }
      return 0;
    } catch (UsageException e) {
      err.println("coati pki: " + e.getMessage());
      err.println(USAGE);
      return 2;
    } catch (IOException | PkiException | IllegalArgumentException e) {
      err.println("coati pki: " + e.getMessage());
      return 1;
    }
  }

  private void ca(List<String> args) throws IOException {
    CliOptions o =
        CliOptions.parse(args, Set.of("--out", "--cn", "--days"), Set.of("--ec", "--force"));
    Path dir = Path.of(o.required("--out"));
    Path certFile = dir.resolve("ca.pem");
    Path keyFile = dir.resolve("ca.key");
    OutputFiles files = new OutputFiles(o.flag("--force"));
    files.checkWritable(List.of(certFile, keyFile));
    CertificateSpec spec =
        CertificateProfiles.ca(
            o.value("--cn", "coati VPN CA"), clock.get(), o.intValue("--days", 3650));
    KeyPair keys = keyType(o).generate(random);
    X509Certificate cert = new CertificateIssuer(random).selfSigned(spec, keys);
    files.write(keyFile, pem(keys.getPrivate()), true);
    files.write(certFile, pem(cert), false);
    out.println("coati pki: CA " + cert.getSubjectX500Principal() + " valid until " + until(cert));
    out.println(
        "coati pki: wrote "
            + certFile
            + " (install on every client) and "
            + keyFile
            + " (0600, keep offline)");
  }

  private void server(List<String> args) throws IOException {
    CliOptions o =
        CliOptions.parse(
            args, Set.of("--ca", "--name", "--ip", "--days", "--out"), Set.of("--ec", "--force"));
    Path caDir = Path.of(o.required("--ca"));
    String name = o.required("--name");
    Path outDir = Path.of(o.value("--out", caDir.toString()));
    Path certFile = outDir.resolve(name + ".pem");
    Path keyFile = outDir.resolve(name + ".key");
    OutputFiles files = new OutputFiles(o.flag("--force"));
    files.checkWritable(List.of(certFile, keyFile));
    KeyType type = keyType(o);
    CertificateSpec spec =
        CertificateProfiles.server(
            name,
            o.all("--ip"),
            type != KeyType.EC_P256,
            clock.get(),
            o.intValue("--days", CertificateProfiles.APPLE_MAX_SERVER_DAYS));
    Ca ca = Ca.load(caDir, random);
    KeyPair keys = type.generate(random);
    X509Certificate cert =
        new CertificateIssuer(random).issue(spec, keys.getPublic(), ca.cert, ca.key);
    files.write(keyFile, pem(keys.getPrivate()), true);
    files.write(certFile, pem(cert), false);
    out.println(
        "coati pki: server "
            + cert.getSubjectX500Principal()
            + " "
            + CertificateIdentity.describeSubjectAltNames(cert)
            + " valid until "
            + until(cert));
    out.println("coati pki: wrote " + certFile + " and " + keyFile + " (0600)");
  }

  private void client(List<String> args) throws IOException {
    CliOptions o =
        CliOptions.parse(
            args,
            Set.of("--ca", "--name", "--email", "--p12", "--password-file", "--days", "--out"),
            Set.of("--ec", "--force"));
    Path caDir = Path.of(o.required("--ca"));
    String name = o.required("--name");
    Path p12File = Path.of(o.required("--p12"));
    Path outDir = Path.of(o.value("--out", caDir.toString()));
    Path certFile = outDir.resolve(name + ".pem");
    String passwordOption = o.value("--password-file", null);
    Path passwordFile = passwordOption == null ? null : Path.of(passwordOption);
    boolean givenPassword = passwordFile != null && Files.exists(passwordFile);
    OutputFiles files = new OutputFiles(o.flag("--force"));
    files.checkWritable(
        passwordFile == null || givenPassword
            ? List.of(p12File, certFile)
            : List.of(p12File, certFile, passwordFile));
    CertificateSpec spec =
        CertificateProfiles.client(
            name, o.value("--email", null), clock.get(), o.intValue("--days", 730));
    Ca ca = Ca.load(caDir, random);
    char[] password = givenPassword ? readPassword(passwordFile) : newPassword();
    try {
      KeyPair keys = keyType(o).generate(random);
      X509Certificate cert =
          new CertificateIssuer(random).issue(spec, keys.getPublic(), ca.cert, ca.key);
      byte[] p12 = LegacyPkcs12.encode(name, keys.getPrivate(), List.of(cert, ca.cert), password);
      files.write(p12File, p12, true);
      files.write(certFile, pem(cert), false);
      out.println(
          "coati pki: client " + cert.getSubjectX500Principal() + " valid until " + until(cert));
      out.println("coati pki: wrote " + p12File + " (0600, PKCS#12 3DES/SHA-1) and " + certFile);
      reportPassword(files, passwordFile, givenPassword, password);
    } finally {
      Arrays.fill(password, '\0');
    }
  }

  private void reportPassword(OutputFiles files, Path file, boolean given, char[] password)
      throws IOException {
    if (given) {
      out.println("coati pki: PKCS#12 password taken from " + file);
    } else if (file != null) {
      byte[] bytes = (new String(password) + "\n").getBytes(StandardCharsets.UTF_8);
      files.write(file, bytes, true);
      Arrays.fill(bytes, (byte) 0);
      out.println("coati pki: PKCS#12 password written to " + file + " (0600)");
    } else {
      out.println("coati pki: PKCS#12 password (shown only now): " + new String(password));
    }
  }

  private char[] newPassword() {
    byte[] r = random.bytes(20);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < r.length; i++) {
      if (i > 0 && i % 5 == 0) {
        b.append('-');
      }
      b.append(PASSWORD_ALPHABET.charAt((r[i] & 0xff) % PASSWORD_ALPHABET.length()));
    }
    Arrays.fill(r, (byte) 0);
    char[] p = new char[b.length()];
    b.getChars(0, b.length(), p, 0);
    b.setLength(0);
    return p;
  }

  private static char[] readPassword(Path file) throws IOException {
    String line = Files.readString(file, StandardCharsets.UTF_8).lines().findFirst().orElse("");
    if (line.isEmpty()) {
      throw new IOException(file + ": empty password (iOS refuses PKCS#12 files without one)");
    }
    return line.toCharArray();
  }

  private static KeyType keyType(CliOptions o) {
    return o.flag("--ec") ? KeyType.EC_P256 : KeyType.RSA_2048;
  }

  private static byte[] pem(Object o) {
    return PemFiles.encode(o).getBytes(StandardCharsets.US_ASCII);
  }

  private static String until(X509Certificate cert) {
    return cert.getNotAfter().toInstant().toString();
  }

  /** The CA of {@code DIR/ca.pem} and {@code DIR/ca.key}, checked to belong together. */
  private record Ca(X509Certificate cert, PrivateKey key) {
    static Ca load(Path dir, RandomSource random) {
      Path certFile = dir.resolve("ca.pem");
      Path keyFile = dir.resolve("ca.key");
      X509Certificate cert = PemFiles.certificate(certFile);
      PrivateKey key = PemFiles.privateKey(keyFile);
      if (cert.getBasicConstraints() < 0) {
        throw new PkiException(certFile + ": not a CA certificate");
      }
      byte[] probe = random.bytes(32);
      boolean pair;
      try {
        pair = SignatureVerifier.of(cert).verify(probe, Signer.of(key, random).sign(probe));
      } catch (PkiException e) {
        pair = false;
      }
      if (!pair) {
        throw new PkiException(keyFile + ": not the private key of " + certFile);
      }
      return new Ca(cert, key);
    }
  }
}
