package io.mapaudit.agent.config;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's options, parsed from {@code key=value} pairs separated by commas: the
 * {@code -javaagent:mapaudit-agent.jar=...} argument, or what {@code attach <pid> k=v ...} sends.
 *
 * <p>Parsing is strict: an unknown key, a malformed pair or an out-of-range value throws an
 * {@link OptionException} whose message names the offending input, and the agent disables itself.
 * Immutable and thread-safe once built.
 */
public final class AgentOptions {
  /** Keys the parser accepts, each with its one-line description (the README's options table). */
  public static final Map<String, String> KEYS;

  static {
    Map<String, String> k = new LinkedHashMap<>();
    k.put("enabled", "true|false: audit (false loads the agent idle: nothing instrumented until "
        + "an attach with auditing on replaces it)");
    k.put("sampling", "1 in N operations per thread is recorded (1 = every operation)");
    k.put("sampler", "draw|windows: a random draw per operation (unbiased counts) or time "
        + "windows (lowest cost; counts biased low where sampling slows the thread)");
    k.put("startup", "async|sync: premain installs in the background beside main (async) or "
        + "before main (sync)");
    k.put("reportDir", "directory for mapaudit-report.json/.html (default: working directory)");
    k.put("include", "site package prefixes to report, separated by ';'");
    k.put("exclude", "site package prefixes not to report, separated by ';'");
    k.put("debug", "true|false: agent diagnostics on stderr");
    k.put("ringSize", "records per thread buffered for the drainer (power of two)");
    k.put("maxMaps", "maps tracked at once (least active evicted)");
    k.put("keys", "plain|hash|off: how keys appear in every output");
    k.put("heat", "on|off: hot keys, heat and latency per map (drainer-side)");
    k.put("topK", "hot keys reported per map");
    k.put("heatWindow", "tumbling window of the hot-key view, e.g. 60s");
    k.put("hotKeyShare", "share of a window's operations that makes a key HOT_KEY");
    k.put("watchNanos", "longest watchpoint pause inside a map method");
    k.put("watchBudget", "share of a thread's wall time watchpoints may take, e.g. 0.01");
    k.put("summary", "true|false: print the short summary at exit");
    k.put("otel", "auto|on|off: OpenTelemetry export (auto: when an endpoint is configured)");
    k.put("otel.endpoint", "OTLP/HTTP endpoint, e.g. http://127.0.0.1:4318");
    k.put("otel.serviceName", "service.name of exported telemetry");
    k.put("prometheus",
        "[host:]port of an optional Prometheus endpoint (off unless set; host 127.0.0.1)");
    KEYS = Collections.unmodifiableMap(k);
  }

  private final Map<String, String> raw;
  private final boolean enabled;
  private final int sampling;
  private final Path reportDir;
  private final List<String> include;
  private final List<String> exclude;
  private final boolean debug;
  private final int ringSize;
  private final int maxMaps;
  private final String keys;
  private final int topK;
  private final boolean heat;
  private final long heatWindowMillis;
  private final double hotKeyShare;
  private final long watchNanos;
  private final double watchBudget;
  private final boolean summary;
  private final String otel;
  private final boolean asyncStartup;
  private final boolean windowedSampler;

  private AgentOptions(Map<String, String> raw) throws OptionException {
    this.raw = Collections.unmodifiableMap(raw);
    this.enabled = bool("enabled", true);
    this.sampling = (int) number("sampling", 1024, 1, 1 << 24);
    this.reportDir = path("reportDir");
    this.include = prefixes("include");
    this.exclude = prefixes("exclude");
    this.debug = bool("debug", false);
    this.ringSize = (int) number("ringSize", sampling == 1 ? 8192 : 256, 16, 1 << 20);
    if (Integer.bitCount(ringSize) != 1) {
      throw new OptionException("ringSize must be a power of two, got " + ringSize);
    }
    this.maxMaps = (int) number("maxMaps", 10_000, 1, 10_000_000);
    this.keys = choice("keys", "plain", "plain", "hash", "off");
    this.topK = (int) number("topK", 10, 1, 1000);
    this.heat = bool("heat", true);
    this.heatWindowMillis = duration("heatWindow", 60_000_000_000L, 1_000_000L) / 1_000_000L;
    this.hotKeyShare = fraction("hotKeyShare", 0.2);
    this.watchNanos = duration("watchNanos", 200_000L, 0L);
    this.watchBudget = fraction("watchBudget", 0.01);
    this.summary = bool("summary", true);
    this.otel = choice("otel", "auto", "auto", "on", "off");
    this.asyncStartup = choice("startup", "async", "async", "sync").equals("async");
    this.windowedSampler = choice("sampler", "draw", "draw", "windows").equals("windows");
    String prometheus = raw.get("prometheus");
    // host:port, [v6]:port or :port / port (host 127.0.0.1): loopback unless told otherwise.
    if (prometheus != null
        && !prometheus.matches("(?:(?:\\[[0-9a-fA-F:.]+\\]|[^:\\s\\[\\]]*):)?\\d{1,5}")) {
      throw new OptionException("prometheus must be host:port or port, got '" + prometheus + "'");
    }
    String endpoint = raw.get("otel.endpoint");
    if (endpoint != null && !endpoint.matches("https?://\\S+")) {
      throw new OptionException("otel.endpoint must be an http(s) URL, got '" + endpoint + "'");
    }
  }

  /** Defaults only. */
  public static AgentOptions defaults() {
    try {
      return new AgentOptions(new LinkedHashMap<>());
    } catch (OptionException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Parses {@code k=v,k=v}. Null or blank means defaults. Keys named in {@code reserved} are
   * accepted and left for the caller (the attach protocol's {@code command}, {@code reply}...).
   */
  public static AgentOptions parse(String args, String... reserved) throws OptionException {
    return new AgentOptions(split(args, reserved));
  }

  /** Splits {@code k=v,k=v} into an ordered map, rejecting malformed pairs and unknown keys. */
  public static Map<String, String> split(String args, String... reserved) throws OptionException {
    Map<String, String> out = new LinkedHashMap<>();
    if (args == null || args.trim().isEmpty()) {
      return out;
    }
    for (String pair : args.split(",", -1)) {
      String p = pair.trim();
      if (p.isEmpty()) {
        throw new OptionException("empty option in '" + args + "'");
      }
      int eq = p.indexOf('=');
      if (eq <= 0) {
        throw new OptionException("option '" + p + "' is not key=value");
      }
      String key = p.substring(0, eq).trim();
      String value = p.substring(eq + 1).trim();
      if (!KEYS.containsKey(key) && !contains(reserved, key)) {
        throw new OptionException("unknown option '" + key + "' (known: "
            + String.join(", ", KEYS.keySet()) + ")");
      }
      if (out.put(key, value) != null) {
        throw new OptionException("option '" + key + "' given twice");
      }
    }
    return out;
  }

  private static boolean contains(String[] values, String v) {
    for (String s : values) {
      if (s.equals(v)) {
        return true;
      }
    }
    return false;
  }

  private boolean bool(String key, boolean dflt) throws OptionException {
    String v = raw.get(key);
    if (v == null) {
      return dflt;
    }
    switch (v.toLowerCase(Locale.ROOT)) {
      case "true":
      case "on":
      case "yes":
        return true;
      case "false":
      case "off":
      case "no":
        return false;
      default:
        throw new OptionException(key + " must be true or false, got '" + v + "'");
    }
  }

  private long number(String key, long dflt, long min, long max) throws OptionException {
    String v = raw.get(key);
    if (v == null) {
      return dflt;
    }
    long n;
    try {
      n = Long.parseLong(v.replace("_", ""));
    } catch (NumberFormatException e) {
      throw new OptionException(key + " must be a whole number, got '" + v + "'");
    }
    if (n < min || n > max) {
      throw new OptionException(key + " must be between " + min + " and " + max + ", got " + n);
    }
    return n;
  }

  private double fraction(String key, double dflt) throws OptionException {
    String v = raw.get(key);
    if (v == null) {
      return dflt;
    }
    double d;
    try {
      d = Double.parseDouble(v);
    } catch (NumberFormatException e) {
      throw new OptionException(key + " must be a number between 0 and 1, got '" + v + "'");
    }
    if (!(d >= 0.0 && d <= 1.0)) {
      throw new OptionException(key + " must be between 0 and 1, got " + v);
    }
    return d;
  }

  /** Parses {@code 250us}, {@code 5ms}, {@code 60s}, {@code 2m} or plain nanoseconds. */
  private long duration(String key, long dfltNanos, long minNanos) throws OptionException {
    String v = raw.get(key);
    if (v == null) {
      return dfltNanos;
    }
    String s = v.trim().toLowerCase(Locale.ROOT);
    long unit = 1L;
    String[][] units = {{"ns", "1"}, {"us", "1000"}, {"ms", "1000000"}, {"s", "1000000000"},
        {"m", "60000000000"}};
    for (String[] u : units) {
      if (s.endsWith(u[0]) && s.length() > u[0].length()
          && Character.isDigit(s.charAt(s.length() - u[0].length() - 1))) {
        unit = Long.parseLong(u[1]);
        s = s.substring(0, s.length() - u[0].length());
        break;
      }
    }
    long n;
    try {
      n = Long.parseLong(s);
    } catch (NumberFormatException e) {
      throw new OptionException(key + " must be a duration like 250us, 5ms or 60s, got '" + v + "'");
    }
    if (n < 0 || n > Long.MAX_VALUE / unit || n * unit < minNanos) {
      throw new OptionException(key + " is out of range: '" + v + "'");
    }
    return n * unit;
  }

  private String choice(String key, String dflt, String... allowed) throws OptionException {
    String v = raw.get(key);
    if (v == null) {
      return dflt;
    }
    String lower = v.toLowerCase(Locale.ROOT);
    if (!contains(allowed, lower)) {
      throw new OptionException(key + " must be one of " + String.join("|", allowed)
          + ", got '" + v + "'");
    }
    return lower;
  }

  private Path path(String key) throws OptionException {
    String v = raw.get(key);
    if (v == null) {
      return Paths.get("").toAbsolutePath();
    }
    if (v.isEmpty()) {
      throw new OptionException(key + " must not be empty");
    }
    try {
      return Paths.get(v).toAbsolutePath();
    } catch (RuntimeException e) {
      throw new OptionException(key + " is not a valid path: '" + v + "'");
    }
  }

  private List<String> prefixes(String key) throws OptionException {
    String v = raw.get(key);
    if (v == null) {
      return Collections.emptyList();
    }
    List<String> out = new ArrayList<>();
    for (String p : v.split(";", -1)) {
      String t = p.trim();
      if (t.isEmpty() || !t.matches("[\\w.$]+")) {
        throw new OptionException(key + " must be package prefixes separated by ';', got '" + v + "'");
      }
      out.add(t);
    }
    return Collections.unmodifiableList(out);
  }

  /** The options as given (validated), in order. */
  public Map<String, String> raw() {
    return raw;
  }

  /** A string value as given, or null. */
  public String get(String key) {
    return raw.get(key);
  }

  public boolean enabled() {
    return enabled;
  }

  public int sampling() {
    return sampling;
  }

  public Path reportDir() {
    return reportDir;
  }

  public List<String> include() {
    return include;
  }

  public List<String> exclude() {
    return exclude;
  }

  public boolean debug() {
    return debug;
  }

  public int ringSize() {
    return ringSize;
  }

  public int maxMaps() {
    return maxMaps;
  }

  public String keys() {
    return keys;
  }

  public boolean heat() {
    return heat;
  }

  public int topK() {
    return topK;
  }

  public long heatWindowMillis() {
    return heatWindowMillis;
  }

  public double hotKeyShare() {
    return hotKeyShare;
  }

  public long watchNanos() {
    return watchNanos;
  }

  public double watchBudget() {
    return watchBudget;
  }

  public boolean summary() {
    return summary;
  }

  /** True when premain installs on a background thread and returns at once. */
  public boolean asyncStartup() {
    return asyncStartup;
  }

  /** True for {@code sampler=windows}: sampling windows opened by a ticker thread. */
  public boolean windowedSampler() {
    return windowedSampler;
  }

  public String otel() {
    return otel;
  }
}
