package dev.coati.config;

import dev.coati.crypto.CryptoException;
import dev.coati.crypto.pki.CertificateVerifier;
import dev.coati.crypto.pki.PemFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.PrivateKey;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * The gateway's certificate keys of the {@code gateway:} section, loaded when the configuration is
 * read so every problem names its line: {@code certificate: vpn.pem}, {@code private_key: vpn.key}
 * (mode 0600), {@code ca: [ca.pem]} (peers' certificates are checked against these), optional
 * {@code crl: ca.crl}.
 */
final class PkiSection {
  private Path certificate;
  private Path key;
  private final List<Path> cas = new ArrayList<>();
  private Path crl;
  private YamlNode node;

  boolean accepts(String key) {
    return key.equals("certificate")
        || key.equals("private_key")
        || key.equals("ca")
        || key.equals("crl");
  }

  void read(YamlNode e, Path dir) throws ConfigException {
    node = node == null ? e : node;
    switch (e.key()) {
      case "certificate" -> certificate = existing(e, dir, e.string());
      case "private_key" -> key = privateKeyFile(e, dir);
      case "crl" -> crl = existing(e, dir, e.string());
      default -> {
        for (YamlNode c : e.list()) {
          cas.add(existing(c, dir, c.string()));
        }
      }
    }
  }

  GatewayConfig.Pki finish() throws ConfigException {
    if (node == null) {
      return null;
    }
    if ((certificate == null) != (key == null)) {
      throw node.error("certificate: and private_key: go together");
    }
    try {
      X509Certificate cert = certificate == null ? null : PemFiles.certificate(certificate);
      PrivateKey pk = key == null ? null : PemFiles.privateKey(key);
      List<X509Certificate> anchors = new ArrayList<>();
      for (Path p : cas) {
        anchors.addAll(PemFiles.certificates(p));
      }
      List<X509CRL> crls = crl == null ? List.of() : List.of(PemFiles.crl(crl));
      CertificateVerifier verifier =
          anchors.isEmpty() ? null : new CertificateVerifier(anchors, crls);
      return new GatewayConfig.Pki(cert, pk, verifier);
    } catch (CryptoException x) {
      throw node.error(x.getMessage());
    }
  }

  private static Path existing(YamlNode e, Path dir, String name) throws ConfigException {
    Path p = dir.resolve(name.strip()).normalize();
    if (!Files.isRegularFile(p)) {
      throw e.error("no such file: " + p);
    }
    return p;
  }

  private static Path privateKeyFile(YamlNode e, Path dir) throws ConfigException {
    Path p = existing(e, dir, e.string());
    try {
      var perms = Files.getPosixFilePermissions(p);
      if (perms.contains(PosixFilePermission.GROUP_READ)
          || perms.contains(PosixFilePermission.OTHERS_READ)) {
        throw e.error(p + " is readable by others: chmod 600 " + p);
      }
    } catch (IOException x) {
      throw e.error("cannot read " + p + ": " + x.getMessage());
    }
    return p;
  }
}
