package io.mapaudit.agent.cli;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.mapaudit.agent.config.AgentOptions;
import io.mapaudit.agent.config.OptionException;
import java.io.File;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.List;

/**
 * {@code java -jar mapaudit-agent.jar <command>}: list JVMs, attach to one, and talk to the agent
 * attached there (status, report, detach). Each command prints what it did and how long it took.
 *
 * <p>Exit codes: 0 done, 1 the target or the agent refused, 2 bad usage.
 */
public final class MapAuditCli {
  static final String USAGE = String.join("\n",
      "usage: java -jar mapaudit-agent.jar <command>",
      "  list                              JVMs this user can attach to",
      "  attach <pid> [key=value ...]      start auditing a running JVM (options as for -javaagent)",
      "  status <pid>                      what the attached agent is doing",
      "  report <pid> [--out FILE]         write the report now (default: the agent's reportDir)",
      "  detach <pid>                      stop auditing and restore the original bytecode");

  private final PrintStream out;
  private final PrintStream err;

  MapAuditCli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public static void main(String[] args) {
    System.exit(new MapAuditCli(System.out, System.err).run(args));
  }

  int run(String[] args) {
    if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help")) {
      (args.length == 0 ? err : out).println(USAGE);
      return args.length == 0 ? 2 : 0;
    }
    String command = args[0];
    try {
      switch (command) {
        case "list":
          return list();
        case "attach":
          return attach(args);
        case "status":
        case "detach":
          if (args.length != 2) {
            return usage(command + " takes exactly one pid");
          }
          return send(pid(args[1]), "command=" + command, command);
        case "report":
          return report(args);
        default:
          return usage("unknown command '" + command + "'");
      }
    } catch (UsageException e) {
      return usage(e.getMessage());
    }
  }

  private int list() {
    long start = System.nanoTime();
    List<VirtualMachineDescriptor> vms = VirtualMachine.list();
    for (VirtualMachineDescriptor d : vms) {
      out.println(d.id() + "\t" + (d.displayName().isEmpty() ? "(no name)" : d.displayName()));
    }
    out.println(vms.size() + " JVMs (" + millis(start) + " ms)");
    return 0;
  }

  private int attach(String[] args) {
    if (args.length < 2) {
      return usage("attach needs a pid");
    }
    String pid = pid(args[1]);
    String options = String.join(",", Arrays.asList(args).subList(2, args.length));
    try {
      AgentOptions.parse(options);
    } catch (OptionException e) {
      err.println("mapaudit: " + e.getMessage() + " (nothing attached)");
      return 2;
    }
    return send(pid, "command=attach" + (options.isEmpty() ? "" : "," + options), "attach");
  }

  private int report(String[] args) {
    if (args.length != 2 && !(args.length == 4 && args[2].equals("--out"))) {
      return usage("report takes a pid and optionally --out FILE");
    }
    String pid = pid(args[1]);
    String extra = "";
    if (args.length == 4) {
      String file = Paths.get(args[3]).toAbsolutePath().toString();
      if (file.contains(",")) {
        return usage("--out FILE must not contain a comma");
      }
      extra = ",out=" + file;
    }
    return send(pid, "command=report" + extra, "report");
  }

  /** Loads the agent jar into {@code pid} with {@code agentArgs} and prints its reply. */
  private int send(String pid, String agentArgs, String what) {
    long start = System.nanoTime();
    String notAJvm = preflight(Paths.get("/proc"), pid);
    if (notAJvm != null) {
      err.println("mapaudit: " + what + " " + pid + " failed: " + notAJvm + " (" + millis(start)
          + " ms)");
      return 1;
    }
    Path reply = null;
    try {
      reply = Files.createTempFile("mapaudit-reply", ".txt");
      String jar = agentJar();
      VirtualMachine vm = VirtualMachine.attach(pid);
      try {
        vm.loadAgent(jar, agentArgs + ",reply=" + reply);
      } finally {
        vm.detach();
      }
      String text = new String(Files.readAllBytes(reply), StandardCharsets.UTF_8).trim();
      if (text.isEmpty()) {
        err.println("mapaudit: " + what + " " + pid + ": the agent did not answer ("
            + millis(start) + " ms)");
        return 1;
      }
      boolean failed = text.startsWith("error: ");
      (failed ? err : out).println("mapaudit: " + what + " " + pid + ": " + text + " ("
          + millis(start) + " ms)");
      return failed ? 1 : 0;
    } catch (Exception e) {
      err.println("mapaudit: " + what + " " + pid + " failed: " + describe(e) + " ("
          + millis(start) + " ms)");
      return 1;
    } finally {
      if (reply != null) {
        try {
          Files.deleteIfExists(reply);
        } catch (Exception ignored) {
          // A leftover empty temp file is harmless.
        }
      }
    }
  }

  /*
   * The attach API answers a pid that is no JVM only after a 5-10 s handshake timeout, with a
   * message about socket files; on JDKs that do not check first it even sends SIGQUIT, which
   * kills a process that does not handle it. /proc tells at once (FaultsIT).
   */
  /** Why {@code pid} cannot be attached to, from {@code proc} (Linux), or null if it may be. */
  static String preflight(Path proc, String pid) {
    if (!Files.isDirectory(proc.resolve("self"))) {
      return null; // not Linux: leave it to the attach API
    }
    Path dir = proc.resolve(pid);
    if (!Files.isDirectory(dir)) {
      return "no process " + pid;
    }
    try {
      String name = "?";
      for (String line : Files.readAllLines(dir.resolve("status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Name:")) {
          name = line.substring(5).trim();
        } else if (line.startsWith("SigCgt:")) {
          long caught = Long.parseUnsignedLong(line.substring(7).trim(), 16);
          if ((caught & (1L << (SIGQUIT - 1))) == 0) {
            return "process " + pid + " (" + name + ") is not a JVM that accepts attach: it does"
                + " not handle SIGQUIT, which the attach handshake needs (not Java, or started"
                + " with -Xrs)";
          }
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      return null; // the process may have just ended, or /proc is unusual: let attach say
    }
    return null;
  }

  private static final int SIGQUIT = 3;

  private static String describe(Exception e) {
    String m = e.getMessage();
    String name = e.getClass().getSimpleName();
    if (name.equals("AttachNotSupportedException")) {
      return "cannot attach (" + m + "); is it a JVM of this user, started with attach enabled?";
    }
    return name + (m == null ? "" : ": " + m);
  }

  private String pid(String s) {
    if (!s.matches("\\d{1,10}")) {
      throw new UsageException("'" + s + "' is not a pid");
    }
    return s;
  }

  private static String agentJar() throws Exception {
    File f = new File(MapAuditCli.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    if (!f.isFile()) {
      throw new IllegalStateException("run the CLI from the agent jar (found " + f + ")");
    }
    return f.getAbsolutePath();
  }

  private int usage(String message) {
    err.println("mapaudit: " + message);
    err.println(USAGE);
    return 2;
  }

  private static long millis(long start) {
    return (System.nanoTime() - start) / 1_000_000;
  }

  private static final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String m) {
      super(m);
    }
  }
}
