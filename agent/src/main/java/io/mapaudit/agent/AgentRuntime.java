package io.mapaudit.agent;

import io.mapaudit.agent.config.AgentOptions;
import io.mapaudit.agent.config.OptionException;
import io.mapaudit.bootstrap.ReentrancyGuard;
import io.mapaudit.bootstrap.ThreadState;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * Entry behind premain and agentmain: starts a session, or runs a command sent by the CLI to an
 * already attached agent ({@code attach}, {@code status}, {@code report}, {@code detach}).
 *
 * <p>The CLI reaches a running agent by loading the same jar again with {@code command=...} and a
 * {@code reply=FILE} that it created owner-only; the answer is written there. Calls are
 * serialised; none throws.
 */
public final class AgentRuntime {
  private static AgentSession session;
  private static int epoch;

  private AgentRuntime() {}

  /**
   * Handles one premain or agentmain call. Never throws: a bad option disables the agent with one
   * line on stderr (premain) or in the reply (attach).
   */
  public static synchronized void handle(String args, Instrumentation inst, String mode) {
    ThreadState state = ReentrancyGuard.state();
    state.enterAgent();
    String reply;
    Map<String, String> raw = null;
    try {
      raw = AttachProtocol.split(args);
      String command = raw.getOrDefault("command", "attach");
      reply = run(command, raw, args, inst, mode);
    } catch (OptionException e) {
      reply = "error: " + e.getMessage() + " (agent disabled)";
    } catch (Throwable e) {
      reply = "error: " + e + " (agent disabled)";
    } finally {
      state.exitAgent();
    }
    // Arguments that did not even split still name where the caller waits for the answer: a raw
    // VirtualMachine.loadAgent with a bad option gets its error there, not on the host's stderr.
    String replyFile = raw == null ? replyOf(args) : raw.get("reply");
    if (replyFile != null) {
      try {
        Files.write(Paths.get(replyFile), reply.getBytes(StandardCharsets.UTF_8),
            StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
      } catch (IOException | RuntimeException e) {
        AgentConsole.line("cannot write the reply to " + replyFile + ": " + e.getMessage());
      }
    } else if (reply.startsWith("error: ")) {
      AgentConsole.line(reply.substring("error: ".length()));
    } else {
      AgentConsole.debug(reply);
    }
  }

  private static String run(String command, Map<String, String> raw, String args,
      Instrumentation inst, String mode) throws Exception {
    switch (command) {
      case "attach":
        AgentOptions options = AttachProtocol.options(args);
        String replaced = "";
        if (session != null && !session.detached()) {
          if (session.auditing() || !options.enabled()) {
            return "already attached (" + session.mode + " since " + session.startedAt
                + "); nothing changed";
          }
          // An idle session (enabled=false) is the agent kept ready: attaching turns auditing on.
          session.detach();
          session = null;
          replaced = " (replacing the idle session)";
        }
        long start = System.nanoTime();
        AgentSession s = new AgentSession(options, mode, inst, ++epoch);
        s.start();
        session = s;
        return "attached in " + (System.nanoTime() - start) / 1_000_000 + " ms" + replaced
            + ": sampling 1/" + options.sampling() + ", auditing "
            + (s.auditing() ? "on" : "off (idle)") + ", report dir " + options.reportDir();
      case "status":
        return session == null || session.detached() ? "not attached" : session.status();
      case "report":
        if (session == null || session.detached()) {
          return "error: not attached";
        }
        String out = raw.get("out");
        Path path = session.writeReport(out == null ? null : Paths.get(out));
        return "report written: " + path;
      case "detach":
        if (session == null || session.detached()) {
          return "not attached; nothing to detach";
        }
        String what = session.detach();
        // Nothing of a detached session stays reachable from the agent (AttachCyclesIT).
        session = null;
        return "detached: " + what;
      default:
        return "error: unknown command '" + command + "'";
    }
  }

  /** The value of a {@code reply=} pair in arguments that failed to parse, or null. */
  static String replyOf(String args) {
    if (args == null) {
      return null;
    }
    String found = null;
    for (String pair : args.split(",", -1)) {
      String p = pair.trim();
      if (p.startsWith("reply=")) {
        if (found != null) {
          return null; // ambiguous: answer nobody rather than the wrong file
        }
        found = p.substring("reply=".length()).trim();
      }
    }
    return found == null || found.isEmpty() ? null : found;
  }

  /** The agent's version from the jar manifest, or "dev". */
  static String version() {
    String v = AgentRuntime.class.getPackage().getImplementationVersion();
    return v == null ? "dev" : v;
  }

  /** The current session, for in-process tests. */
  static synchronized AgentSession session() {
    return session;
  }
}
