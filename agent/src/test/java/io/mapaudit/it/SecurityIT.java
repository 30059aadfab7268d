package io.mapaudit.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.mapaudit.it.apps.InteractiveProgram;
import io.mapaudit.it.apps.RawAttach;
import io.mapaudit.it.apps.SecretProgram;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The agent opens no listener, writes keys only as told ({@code keys=hash}: never a raw key,
 * {@code keys=off}: none), writes owner-only files, and validates options arriving through
 * attach as strictly as startup options. A secret key is planted where every kind of key output
 * comes from, and every output is searched: the report (JSON and HTML), the reports the CLI asked
 * for, the CLI's and the application's stdout and stderr, and any file the agent created.
 * {@code keys=plain} is the positive control: there the secret must show up.
 */
final class SecurityIT {
  private static final Path WORK = Paths.get("target", "it-work", "security").toAbsolutePath();
  private static final String MARK = SecretProgram.MARK;

  @Test
  void keysPlain_secretShows_positiveControl_andNoListenerUnlessTheAppOpensOne() throws Exception {
    Outputs o = plantAndCollect("plain", true);
    assertThat(o.text).contains(MARK + "9f2c41e7-missing");
    assertThat(o.text).doesNotContain(MARK + "9f2c41e7-holder"); // toString is never called
    JsonNode report = o.report;
    assertThat(keysOf(Reports.findings(report, "LOST_UPDATE")))
        .as(report.get("findings").toString()).contains(MARK + "9f2c41e7-counter");
  }

  @Test
  void keysHash_noRawKeyInAnyOutput() throws Exception {
    Outputs o = plantAndCollect("hash", false);
    assertThat(o.text).doesNotContain(MARK);
    List<String> keys = new ArrayList<>();
    collectKeys(o.report, keys);
    assertThat(keys).as("keys were emitted, hashed").isNotEmpty();
    for (String k : keys) {
      assertThat(k).matches("h:[0-9a-f]{16}|null");
    }
  }

  @Test
  void keysOff_noKeyAtAll() throws Exception {
    Outputs o = plantAndCollect("off", false);
    assertThat(o.text).doesNotContain(MARK);
    List<String> keys = new ArrayList<>();
    collectKeys(o.report, keys);
    assertThat(keys).as(o.report.toString()).allMatch(k -> k.equals("null"));
    assertThat(Reports.findings(o.report, "MISSING_KEY")).isNotEmpty();
  }

  @Test
  void attach_badOptionsRawOrThroughCli_refusedWithErrorReply_appUnaffected() throws Exception {
    Path dir = WORK.resolve("attach-validation");
    Files.createDirectories(dir);
    try (ForkedJvm app = ForkedJvm.start(dir, List.of(), InteractiveProgram.class.getName())) {
      String pid = app.expectLine("READY", 60).split(" ")[1];
      ForkedJvm.Result cli = ForkedJvm.cli(dir, "attach", pid, "sampling=-3");
      assertThat(cli.exitCode).isEqualTo(2);
      assertThat(cli.stderr).contains("sampling must be between 1").contains("(nothing attached)");
      int n = 0;
      for (String bad : List.of("sampling=0", "samplin=1", "sampling=abc", "keys=maybe",
          "enabled", "watchNanos=5 parsecs", "reportDir=", "prometheus=localhost")) {
        Path reply = dir.resolve("reply-" + n++ + ".txt");
        Files.write(reply, new byte[0]);
        ForkedJvm.Result raw;
        try (ForkedJvm attacher = ForkedJvm.start(dir, List.of(), RawAttach.class.getName(), pid,
            ForkedJvm.AGENT_JAR.toString(), "command=attach," + bad + ",reply=" + reply)) {
          raw = attacher.await(120);
        }
        assertThat(raw.stdoutText()).as(bad + ": " + raw).isEqualTo("LOADED");
        String answer = new String(Files.readAllBytes(reply), StandardCharsets.UTF_8);
        assertThat(answer).as(bad).startsWith("error: ").endsWith("(agent disabled)");
        ForkedJvm.Result status = ForkedJvm.cli(dir, "status", pid);
        assertThat(status.stdoutText()).as(bad).contains("not attached");
      }
      app.send("work 5");
      assertThat(app.expectLine("DONE", 30)).isEqualTo("DONE 10");
      app.send("entries");
      assertThat(app.expectLine("ENTRIES", 30)).isEqualTo("ENTRIES 0");
      app.send("exit");
      ForkedJvm.Result end = app.await(60);
      assertThat(end.exitCode).isZero();
      assertThat(end.stderr).doesNotContain("mapaudit");
      assertThat(Files.exists(dir.resolve("mapaudit-report.json"))).isFalse();
    }
  }

  /** Everything the run left, as one text, and the final report. */
  private static final class Outputs {
    String text;
    JsonNode report;
  }

  private static Outputs plantAndCollect(String keys, boolean listenerControl) throws Exception {
    Path dir = WORK.resolve("keys-" + keys);
    Path reportDir = dir.resolve("reports");
    long started = System.currentTimeMillis() - 1_000;
    StringBuilder all = new StringBuilder();
    ForkedJvm.Result end;
    try (ForkedJvm app = ForkedJvm.start(dir, List.of(ForkedJvm.javaagent(
        "keys=" + keys + ",sampling=16,heatWindow=1s,reportDir=" + reportDir)),
        SecretProgram.class.getName())) {
      String pid = app.expectLine("READY", 60).split(" ")[1];
      app.send("plant");
      app.expectLine("PLANTED", 120);
      assertThat(listeningSockets(pid)).as("listening sockets of the audited JVM").isEmpty();
      Path mid = dir.resolve("mid-report.json");
      ForkedJvm.Result report = ForkedJvm.cli(dir, "report", pid, "--out", mid.toString());
      assertThat(report.exitCode).as(report.toString()).isZero();
      ForkedJvm.Result status = ForkedJvm.cli(dir, "status", pid);
      assertThat(status.exitCode).as(status.toString()).isZero();
      all.append(report).append(status);
      assertThat(listeningSockets(pid)).as("after attach commands").isEmpty();
      assertThat(ownerOnly(mid)).isTrue();
      if (listenerControl) {
        app.send("listen");
        String port = app.expectLine("LISTENING", 30).split(" ")[1];
        assertThat(listeningSockets(pid)).as("the check sees a listener when there is one")
            .hasSize(1).allMatch(s -> s.endsWith(":" + String.format("%04X", Integer.parseInt(port))));
      }
      app.send("exit");
      end = app.await(120);
    }
    assertThat(end.exitCode).as(end.toString()).isZero();
    all.append(end);
    Path json = reportDir.resolve("mapaudit-report.json");
    Path html = reportDir.resolve("mapaudit-report.html");
    assertThat(ownerOnly(json)).as("report JSON is rw-------").isTrue();
    assertThat(ownerOnly(html)).as("report HTML is rw-------").isTrue();
    List<Path> files = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(files::add);
    }
    // The agent's only file outside the report directory: the bootstrap jar in java.io.tmpdir.
    try (DirectoryStream<Path> tmp = Files.newDirectoryStream(
        Paths.get(System.getProperty("java.io.tmpdir")), "mapaudit*")) {
      for (Path p : tmp) {
        if (Files.isRegularFile(p) && Files.getLastModifiedTime(p)
            .compareTo(FileTime.fromMillis(started)) >= 0) {
          files.add(p);
        }
      }
    }
    assertThat(files).contains(json, html, dir.resolve("mid-report.json"));
    for (Path f : files) {
      all.append('\n').append(f).append('\n')
          .append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
    }
    Outputs o = new Outputs();
    o.text = all.toString();
    o.report = Reports.read(json);
    assertThat(Reports.findings(o.report, "MISSING_KEY")).isNotEmpty();
    return o;
  }

  private static boolean ownerOnly(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p)).equals("rw-------");
  }

  /** Values of every field named "key" in the report, "null" for JSON null. */
  private static void collectKeys(JsonNode n, List<String> out) {
    if (n.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getKey().equals("key")) {
          out.add(e.getValue().isNull() ? "null" : e.getValue().asText());
        } else {
          collectKeys(e.getValue(), out);
        }
      }
    } else if (n.isArray()) {
      for (JsonNode c : n) {
        collectKeys(c, out);
      }
    }
  }

  private static List<String> keysOf(List<JsonNode> findings) {
    return findings.stream().map(f -> f.get("key").asText()).collect(Collectors.toList());
  }

  /**
   * TCP sockets in LISTEN and bound UDP sockets that belong to {@code pid}: the socket inodes
   * among its open descriptors, looked up in its network namespace's tables.
   */
  static List<String> listeningSockets(String pid) throws IOException {
    Set<String> inodes = new HashSet<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Paths.get("/proc", pid, "fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[")) {
            inodes.add(target.substring(8, target.length() - 1));
          }
        } catch (IOException closedMeanwhile) {
          // A descriptor closed while listing: not a listener.
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (String table : List.of("tcp", "tcp6", "udp", "udp6")) {
      Path t = Paths.get("/proc", pid, "net", table);
      if (!Files.exists(t)) {
        continue;
      }
      List<String> lines = Files.readAllLines(t);
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.trim().split("\\s+");
        boolean listening = table.startsWith("tcp") ? f[3].equals("0A") : f[3].equals("07");
        if (listening && inodes.contains(f[9])) {
          out.add(table + " " + f[1]);
        }
      }
    }
    return out;
  }
}
