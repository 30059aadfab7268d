package io.mapaudit.agent.report;

import java.util.Collection;
import java.util.Iterator;
import java.util.Map;

/**
 * Writes a JSON document from a tree of {@code Map<String, ?>}, {@code Collection}, {@code String},
 * {@code Number}, {@code Boolean} and null. Small on purpose: the report is the only document the
 * agent writes, and a JSON library would be one more thing to shade.
 */
public final class Json {
  private Json() {}

  /** The tree as indented JSON text. Non-finite doubles are written as null. */
  public static String write(Object tree) {
    StringBuilder sb = new StringBuilder(4096);
    write(sb, tree, 0);
    sb.append('\n');
    return sb.toString();
  }

  private static void write(StringBuilder sb, Object v, int indent) {
    if (v == null) {
      sb.append("null");
    } else if (v instanceof String) {
      string(sb, (String) v);
    } else if (v instanceof Double || v instanceof Float) {
      double d = ((Number) v).doubleValue();
      sb.append(Double.isFinite(d) ? Double.toString(d) : "null");
    } else if (v instanceof Number || v instanceof Boolean) {
      sb.append(v);
    } else if (v instanceof Map) {
      Map<?, ?> m = (Map<?, ?>) v;
      if (m.isEmpty()) {
        sb.append("{}");
        return;
      }
      sb.append("{\n");
      Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
      while (it.hasNext()) {
        Map.Entry<?, ?> e = it.next();
        pad(sb, indent + 1);
        string(sb, String.valueOf(e.getKey()));
        sb.append(": ");
        write(sb, e.getValue(), indent + 1);
        sb.append(it.hasNext() ? ",\n" : "\n");
      }
      pad(sb, indent);
      sb.append('}');
    } else if (v instanceof Collection) {
      Collection<?> c = (Collection<?>) v;
      if (c.isEmpty()) {
        sb.append("[]");
        return;
      }
      boolean scalars = true;
      for (Object o : c) {
        scalars &= !(o instanceof Map) && !(o instanceof Collection);
      }
      sb.append(scalars ? "[" : "[\n");
      Iterator<?> it = c.iterator();
      while (it.hasNext()) {
        if (!scalars) {
          pad(sb, indent + 1);
        }
        write(sb, it.next(), indent + 1);
        if (it.hasNext()) {
          sb.append(scalars ? ", " : ",\n");
        }
      }
      if (!scalars) {
        sb.append('\n');
        pad(sb, indent);
      }
      sb.append(']');
    } else {
      string(sb, v.toString());
    }
  }

  private static void pad(StringBuilder sb, int indent) {
    for (int i = 0; i < indent; i++) {
      sb.append("  ");
    }
  }

  /** Appends {@code s} as a JSON string literal. */
  public static void string(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          sb.append("\\\"");
          break;
        case '\\':
          sb.append("\\\\");
          break;
        case '\n':
          sb.append("\\n");
          break;
        case '\r':
          sb.append("\\r");
          break;
        case '\t':
          sb.append("\\t");
          break;
        default:
          if (c < 0x20 || c == 0x2028 || c == 0x2029) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
      }
    }
    sb.append('"');
  }
}
