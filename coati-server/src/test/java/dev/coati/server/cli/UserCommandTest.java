package dev.coati.server.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.auth.AuthRequest;
import dev.coati.auth.AuthResult;
import dev.coati.auth.LocalAuthenticator;
import dev.coati.auth.LocalUsers;
import dev.coati.crypto.MsChapV2;
import dev.coati.crypto.NtHash;
import dev.coati.util.Hex;
import dev.coati.util.RandomSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserCommandTest {
  @TempDir Path dir;
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  int run(String stdin, String... args) {
    PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    return new UserCommand(
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            1000,
            RandomSource.secure(),
            o,
            e)
        .run(List.of(args));
  }

  String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  Path users() {
    return dir.resolve("users.txt");
  }

  String f() {
    return users().toString();
  }

  static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  AuthResult auth(AuthRequest r) throws Exception {
    LocalUsers u = LocalUsers.parse(f(), Files.readString(users()));
    return new LocalAuthenticator(u).authenticate(r).toCompletableFuture().join();
  }

  @Test
  void roundTrip_addListPasswdDel() throws Exception {
    assertEquals(
        0,
        run(
            "s3cret:pw\n",
            "add",
            "alice",
            "--file",
            f(),
            "--address",
            "10.99.99.50",
            "--max-sessions",
            "1",
            "--password-stdin"),
        err());
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users())));
    String text = Files.readString(users());
    assertTrue(text.startsWith("alice:$pbkdf2-sha256$i=1000$"), text);
    assertTrue(text.endsWith(":address=10.99.99.50,max_sessions=1\n"), text);
    assertTrue(text.contains(Hex.encode(NtHash.of(b("s3cret:pw")))), "NT hash stored");
    assertFalse(text.contains("s3cret"), "no plain text");
    AuthResult ok = auth(new AuthRequest.Plain("alice", b("s3cret:pw")));
    assertTrue(ok.success(), ok.reason());
    assertEquals("10.99.99.50", ok.staticAddress().orElseThrow().toString());

    assertEquals(0, run("", "list", "--file", f()), err());
    assertTrue(out().contains("alice"), out());
    assertTrue(out().contains("password-hash+nt-hash"), out());
    assertTrue(out().contains("address=10.99.99.50 max_sessions=1"), out());
    assertTrue(out().contains("1 user in"), out());
    assertFalse(out().contains("pbkdf2") || out().contains(Hex.encode(NtHash.of(b("s3cret:pw")))));

    assertEquals(0, run("n3w\n", "passwd", "alice", "--file", f(), "--password-stdin"), err());
    assertFalse(auth(new AuthRequest.Plain("alice", b("s3cret:pw"))).success());
    assertTrue(auth(new AuthRequest.Plain("alice", b("n3w"))).success());
    byte[] ac = RandomSource.secure().bytes(16);
    byte[] pc = RandomSource.secure().bytes(16);
    byte[] resp = MsChapV2.generateNtResponse(ac, pc, b("alice"), NtHash.of(b("n3w")));
    assertTrue(auth(new AuthRequest.MsChapV2("alice", ac, pc, resp)).success());
    assertTrue(Files.readString(users()).contains("address=10.99.99.50,max_sessions=1"));

    assertEquals(0, run("", "del", "alice", "--file", f()), err());
    assertEquals("", Files.readString(users()));
  }

  @Test
  void edits_keepCommentsAndOtherLines_andTightenPermissions() throws Exception {
    String before = "# our users\n\nbob:{plain}x\n  # indented comment\nbroken:line:zz\n";
    Files.writeString(users(), before);
    Files.setPosixFilePermissions(users(), PosixFilePermissions.fromString("rw-r--r--"));
    assertEquals(0, run("pw\n", "add", "carol", "--file", f(), "--password-stdin", "--no-nt-hash"));
    assertTrue(err().contains("is readable by group or others"), err());
    assertTrue(err().contains("chmod 600"), err());
    String after = Files.readString(users());
    assertTrue(after.startsWith(before), after);
    assertTrue(after.matches("(?s).*\ncarol:\\$pbkdf2-sha256\\$[^:]*\n"), after);
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users())));
    assertEquals(0, run("", "del", "bob", "--file", f()));
    assertEquals(
        "# our users\n\n  # indented comment\nbroken:line:zz\n" + after.substring(before.length()),
        Files.readString(users()));
    err.reset();
    assertEquals(1, run("", "list", "--file", f()), "a broken line fails list");
    assertTrue(err().contains("users.txt:4: user 'broken'"), err());
    assertTrue(out().contains("carol") && out().contains("1 user in"), out());
  }

  @Test
  void passwd_ofAPlainTextUser_storesHashesAndSaysCHAPStops() throws Exception {
    Files.writeString(users(), "bob:{plain}old::max_sessions=3\n");
    assertEquals(0, run("new\n", "passwd", "bob", "--file", f(), "--password-stdin"), err());
    assertTrue(err().contains("CHAP-MD5 no longer works for this user"), err());
    String line = Files.readString(users());
    assertTrue(line.matches("bob:\\$pbkdf2-sha256\\$[^:]+:[0-9a-f]{32}:max_sessions=3\n"), line);
  }

  @Test
  void load_forTheGateway_reportsBadLinesAndWarnings() throws Exception {
    Files.writeString(users(), "# x\nbob:{plain}pw\nbad:$nope\nworse::zz\n");
    Files.setPosixFilePermissions(users(), PosixFilePermissions.fromString("rw-r-----"));
    UsersFile file = new UsersFile(users(), new PrintStream(err, true, StandardCharsets.UTF_8));
    dev.coati.auth.UsersFileException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.coati.auth.UsersFileException.class, file::load);
    assertEquals(2, e.problems().size());
    assertTrue(e.problems().get(0).startsWith(f() + ":3: user 'bad'"), e.problems().get(0));
    assertTrue(e.problems().get(1).startsWith(f() + ":4: user 'worse'"), e.problems().get(1));
    assertTrue(err().contains("readable by group or others"), err());
    Files.writeString(users(), "bob:{plain}pw\n");
    err.reset();
    assertEquals(1, file.load().users().size());
    assertTrue(err().contains(":1: user 'bob' has a plain-text password"), err());
  }

  @Test
  void edit_keepsOwnerAndGroup_whenRunAsRoot() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(
        "root".equals(System.getProperty("user.name")), "only root can give files away");
    Files.writeString(users(), "# owned by nobody\n");
    var lookup = users().getFileSystem().getUserPrincipalLookupService();
    var nobody = lookup.lookupPrincipalByName("nobody");
    Files.setOwner(users(), nobody);
    assertEquals(0, run("pw\n", "add", "gina", "--file", f(), "--password-stdin"), err());
    assertEquals(nobody, Files.getOwner(users()));
  }

  @Test
  void errors_unknownUserExistingUserAndUsage() throws Exception {
    assertEquals(1, run("", "del", "nobody", "--file", f()));
    assertTrue(err().contains("no user 'nobody' in"), err());
    assertEquals(1, run("pw\n", "passwd", "nobody", "--file", f(), "--password-stdin"));
    assertEquals(
        0, run("pw\n", "add", "dave", "--file", f(), "--password-stdin", "--address", "10.0.0.9"));
    assertEquals(1, run("pw\n", "add", "dave", "--file", f(), "--password-stdin"));
    assertTrue(err().contains("user 'dave' already exists"), err());
    assertEquals(
        1, run("pw\n", "add", "eve", "--file", f(), "--password-stdin", "--address", "10.0.0.9"));
    assertTrue(err().contains("already the static address of 'dave'"), err());
    assertEquals(1, run("\n", "add", "eve", "--file", f(), "--password-stdin"));
    assertTrue(err().contains("the password is empty"), err());
    assertEquals(2, run("", "add", "eve", "--file", f(), "--max-sessions", "zero"));
    assertEquals(2, run("", "add", "a:b", "--file", f(), "--password-stdin"));
    assertEquals(2, run("", "list"));
    assertTrue(err().contains("--file FILE or --config FILE"), err());
    assertEquals(2, run("", "frobnicate"));
    assertTrue(err().contains("unknown user command 'frobnicate'"), err());
    assertEquals(2, run("", "passwd", "dave", "--file", f(), "--address", "10.0.0.1"));
    assertTrue(err().contains("passwd does not take --address"), err());
    assertEquals(2, run("", "list", "--file", f(), "--bogus"));
    assertEquals(1, Files.readAllLines(users()).size(), "failed commands changed nothing");
  }

  @Test
  void configOption_findsTheUsersFileRelativeToTheConfig() throws Exception {
    Path conf = dir.resolve("etc");
    Files.createDirectories(conf);
    Path psk = conf.resolve("psk.txt");
    Files.writeString(psk, "k\n");
    Files.setPosixFilePermissions(psk, PosixFilePermissions.fromString("rw-------"));
    Path yaml = conf.resolve("coati.yaml");
    Files.writeString(
        yaml,
        "secrets: { psk: [ { peers: any, secret_file: psk.txt } ] }\nusers: { file: users.txt }\n");
    assertEquals(
        0, run("pw\n", "add", "frank", "--config", yaml.toString(), "--password-stdin"), err());
    assertTrue(Files.readString(conf.resolve("users.txt")).startsWith("frank:"));
    Files.writeString(yaml, "secrets: { psk: [ { peers: any, secret_file: psk.txt } ] }\n");
    assertEquals(1, run("", "list", "--config", yaml.toString()));
    assertTrue(err().contains("has no users file"), err());
  }

  @Test
  void lock_makesAConcurrentEditWait_thenFail() throws Exception {
    Files.writeString(users(), "");
    UsersFile file = new UsersFile(users(), System.err);
    try (AutoCloseable held = file.hold()) {
      CommandException e =
          org.junit.jupiter.api.Assertions.assertThrows(
              CommandException.class,
              () -> file.edit(lines -> lines, java.time.Duration.ofMillis(200)));
      assertTrue(e.getMessage().contains("is being edited by another coati user command"));
      assertTrue(Files.exists(dir.resolve("users.txt.lock")));
    }
    file.edit(lines -> List.of("# after"), java.time.Duration.ofMillis(200));
    assertEquals("# after\n", Files.readString(users()));
  }

  @Test
  void lock_excludesAnotherProcess() throws Exception {
    Files.writeString(users(), "");
    Path locker = dir.resolve("Locker.java");
    Files.writeString(
        locker,
        """
        import java.nio.channels.FileChannel;
        import java.nio.file.*;
        public class Locker {
          public static void main(String[] a) throws Exception {
            try (FileChannel c = FileChannel.open(Path.of(a[0]), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); var l = c.lock()) {
              System.out.println("locked");
              System.out.flush();
              System.in.read();
            }
          }
        }
        """);
    Process p =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                locker.toString(),
                dir.resolve("users.txt.lock").toString())
            .redirectErrorStream(true)
            .start();
    try {
      String first =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))
              .readLine();
      assertEquals("locked", first);
      UsersFile file = new UsersFile(users(), System.err);
      org.junit.jupiter.api.Assertions.assertThrows(
          CommandException.class,
          () -> file.edit(lines -> List.of("# lost"), java.time.Duration.ofMillis(300)));
      assertEquals("", Files.readString(users()));
      p.getOutputStream().write('\n');
      p.getOutputStream().flush();
      p.waitFor();
      file.edit(lines -> List.of("# kept"), java.time.Duration.ofSeconds(5));
      assertEquals("# kept\n", Files.readString(users()));
    } finally {
      p.destroy();
    }
  }

  @Test
  void concurrentAdds_loseNothing() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Integer>> results = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        String name = "user" + i;
        results.add(
            pool.submit(
                () -> run("pw" + name + "\n", "add", name, "--file", f(), "--password-stdin")));
      }
      for (Future<Integer> r : results) {
        assertEquals(0, r.get());
      }
    } finally {
      pool.shutdown();
    }
    LocalUsers u = LocalUsers.parse(f(), Files.readString(users()));
    assertEquals(12, u.users().size());
    assertNotEquals(0, Files.size(users()));
    try (var s = Files.list(dir)) {
      assertEquals(
          List.of("users.txt", "users.txt.lock"),
          s.map(p -> p.getFileName().toString()).sorted().toList(),
          "no temporary files left");
    }
  }
}
