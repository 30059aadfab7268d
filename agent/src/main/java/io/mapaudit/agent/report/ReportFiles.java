package io.mapaudit.agent.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Writes the report files atomically (temporary file, then move) and owner-only where the file
 * system has POSIX permissions: a report can name keys and code that are nobody else's business.
 */
public final class ReportFiles {
  public static final String JSON = "mapaudit-report.json";
  public static final String HTML = "mapaudit-report.html";

  /** Renders the HTML report from the same tree; null until the HTML writer is installed. */
  public interface HtmlRenderer {
    String render(Map<String, Object> report);
  }

  private ReportFiles() {}

  /**
   * Writes {@code report} as {@code dir/mapaudit-report.json}, and as HTML when a renderer is
   * given, or as {@code jsonFile} when that is not null. Returns the JSON path.
   */
  public static Path write(Map<String, Object> report, Path dir, Path jsonFile, HtmlRenderer html)
      throws IOException {
    Path json = jsonFile != null ? jsonFile.toAbsolutePath() : dir.resolve(JSON);
    Path parent = json.getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    writeAtomically(json, Json.write(report));
    if (html != null) {
      String name = json.getFileName().toString().replaceFirst("\\.json$", "") + ".html";
      writeAtomically(json.resolveSibling(name), html.render(report));
    }
    return json;
  }

  static void writeAtomically(Path target, String text) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path tmp;
    try {
      tmp = Files.createTempFile(dir, ".mapaudit", ".tmp",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      tmp = Files.createTempFile(dir, ".mapaudit", ".tmp");
    }
    try {
      Files.write(tmp, text.getBytes(StandardCharsets.UTF_8));
      try {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING,
            StandardCopyOption.ATOMIC_MOVE);
      } catch (IOException e) {
        if (e instanceof FileAlreadyExistsException) {
          throw e;
        }
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
