package dev.coati.server.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.coati.server.dataplane.Traffic;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SessionEventsTest {
  @TempDir Path dir;

  @Test
  void json_hasFixedKeysAndEscapes() {
    SessionEvent down =
        SessionEvent.up("l2tp", "l2tp-7/1", "a\"b\\c", "10.0.0.2:4500", "10.99.99.10")
            .accounted("65000000-00000001", new byte[] {1})
            .as("down", 42, "x\ny", new Traffic(1500, 3000, 10, 20));
    assertEquals(
        "{\"time\":5,\"event\":\"down\",\"kind\":\"l2tp\",\"session\":\"l2tp-7/1\",\"user\":"
            + "\"a\\\"b\\\\c\",\"peer\":\"10.0.0.2:4500\",\"address\":\"10.99.99.10\","
            + "\"acct_session_id\":\"65000000-00000001\",\"seconds\":42,\"bytes_in\":1500,"
            + "\"bytes_out\":3000,\"packets_in\":10,\"packets_out\":20,\"reason\":\"x\\ny\"}",
        down.toJson(5));
    assertEquals(
        "{\"time\":1,\"event\":\"auth_failed\",\"kind\":\"xauth\",\"user\":\"bob\","
            + "\"peer\":\"10.0.0.3:500\",\"reason\":\"wrong password\\u0001\"}",
        SessionEvent.authFailed("xauth", "bob", "10.0.0.3:500", "wrong password\u0001").toJson(1));
  }

  @Test
  void jsonLogAndHooks_getEveryEvent_offTheCallersThread() throws Exception {
    Path log = dir.resolve("events.jsonl");
    Path env = dir.resolve("env.txt");
    Path up = dir.resolve("up.sh");
    Files.writeString(up, "#!/bin/sh\nenv | grep ^COATI_ | sort >> " + env + "\n");
    Files.setPosixFilePermissions(up, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path slow = dir.resolve("slow.sh");
    Files.writeString(slow, "#!/bin/sh\nsleep 30\n");
    Files.setPosixFilePermissions(slow, PosixFilePermissions.fromString("rwxr-xr-x"));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    SessionEvents ev =
        new SessionEvents(log, new Hooks(up, slow, 1, "coati0", ps), System::currentTimeMillis);
    long t0 = System.nanoTime();
    SessionEvent upEvent =
        SessionEvent.up("xauth", "ike[1]", "alice", "10.0.0.2:4500", "10.99.99.10");
    ev.emit(upEvent);
    ev.emit(upEvent.as("interim", 2, null, Traffic.ZERO)); // RADIUS only: not logged, no hook
    ev.emit(SessionEvent.down("xauth", "ike[1]", "alice", "10.0.0.2:4500", "10.99.99.10", 3, "x"));
    assertTrue((System.nanoTime() - t0) / 1e6 < 500, "emit never waits for a script");
    ev.flush();
    List<String> lines = Files.readAllLines(log);
    assertEquals(2, lines.size(), lines.toString());
    assertTrue(lines.get(0).contains("\"event\":\"up\"") && lines.get(0).contains("alice"));
    assertTrue(lines.get(1).contains("\"seconds\":3"));
    assertEquals("rw-r-----", PosixFilePermissions.toString(Files.getPosixFilePermissions(log)));
    String e = Files.readString(env);
    for (String kv :
        List.of(
            "COATI_EVENT=up",
            "COATI_KIND=xauth",
            "COATI_USER=alice",
            "COATI_PEER=10.0.0.2:4500",
            "COATI_ADDRESS=10.99.99.10",
            "COATI_INTERFACE=coati0")) {
      assertTrue(e.contains(kv + "\n"), kv + " in " + e);
    }
    assertTrue(out.toString().contains("killed after 1 s"), "the slow down hook: " + out);
  }

  @Test
  void failuresFromOneAddress_areRateLimitedPerMinute() {
    AtomicLong now = new AtomicLong(60_000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8);
    SessionEvents ev = new SessionEvents(null, null, now::get);
    int logged = 0;
    for (int i = 0; i < 20; i++) {
      logged += ev.logFailure("10.0.0.9", ps) ? 1 : 0;
    }
    assertEquals(SessionEvents.FAILURES_PER_MINUTE, logged);
    assertTrue(ev.logFailure("10.0.0.8", ps), "another address is not limited");
    now.addAndGet(60_000);
    assertTrue(ev.logFailure("10.0.0.9", ps), "a new minute");
    assertTrue(
        out.toString().contains("15 more authentication failures from 10.0.0.9"), out.toString());
    assertFalse(out.toString().contains("10.0.0.8"));
  }

  @Test
  void aListener_suchAsRadiusAccounting_getsEveryEventInOrder() {
    List<String> seen = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
    SessionEvents ev =
        new SessionEvents(null, null, e -> seen.add(e.type() + ":" + e.user()), () -> 0L);
    ev.emit(SessionEvent.up("l2tp", "l2tp-1/1", "alice", "10.0.0.2:500", "10.99.99.10"));
    ev.emit(SessionEvent.authFailed("xauth", "bob", "10.0.0.3:500", "wrong password"));
    ev.emit(SessionEvent.down("l2tp", "l2tp-1/1", "alice", "10.0.0.2:500", "10.99.99.10", 9, "x"));
    ev.flush();
    assertEquals(List.of("up:alice", "auth_failed:bob", "down:alice"), seen);
  }
}
