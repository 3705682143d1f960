import Foundation
import MaplLang

/// A saved session's `#@ ` annotations: the lines `:save` writes above a cell for what the user did to it
/// (`SessionAction`: a pause with F4, an interrupt, a `:pane` choice), which `mapl replay` and `mapl run`
/// read back to do the same. To the language they are comments. They come first in a cell's leading
/// comments (a cell's later lines keep their line numbers); annotations after the last cell are commands
/// typed at the end. The header `:save` writes is not part of the first cell.
public enum Annotations {
    /// The first line of a file `:save` writes.
    public static let saveHeader = "# saved from the mapl notebook"

    public struct Cell: Sendable, Equatable {
        /// The cell without its annotations (nor, for the first, the save header).
        public var source: String
        public var firstLine: Int
        public var chapters: [String]
        public var actions: [SessionAction]
    }

    /// The cells of a saved file, with their annotations taken out; annotation lines that cannot be read
    /// are named in `warnings`. A `#@ cell of N lines` annotation keeps the N lines after it together as
    /// one cell, as the notebook ran them (a file is otherwise cut into one cell per statement).
    public static func read(_ text: String) -> (cells: [Cell], trailing: [SessionAction], warnings: [String]) {
        let fileLines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        let cells = SourceCells.split(text)
        var out: [Cell] = [], trailing: [SessionAction] = [], warnings: [String] = []
        var i = 0
        while i < cells.count {
            let cell = cells[i]
            var lines = cell.source.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            var actions: [SessionAction] = []
            var extent: Int? = nil
            // The leading comments lose their annotations (and the first cell the save header); the cell then
            // starts that many lines further down, so its code keeps its file line numbers.
            var kept: [String] = [], removed = 0, k = 0
            while k < lines.count {
                let t = lines[k].trimmingCharacters(in: .whitespaces)
                guard t.isEmpty || t.hasPrefix("#") else { break }
                if t.hasPrefix(SessionAction.marker) {
                    let body = String(t.dropFirst(SessionAction.marker.count))
                    if let n = cellExtent(body) { extent = n }
                    else if let a = SessionAction(text: body) { actions.append(a) }
                    else { warnings.append("line \(cell.firstLine + k): not an annotation mapl knows, ignored: \(t)") }
                    removed += 1
                } else if (i == 0 && k == 0 && t == saveHeader) || (t.isEmpty && kept.isEmpty) {
                    removed += 1
                } else {
                    kept.append(lines[k])
                }
                k += 1
            }
            lines = kept + lines[k...]
            let first = cell.firstLine + removed
            // `#@ cell of N lines`: the statements within those lines are one cell, as the file holds them.
            if let n = extent, n > lines.count {
                let end = min(first + n - 1, fileLines.count)
                while i + 1 < cells.count, cells[i + 1].firstLine <= end { i += 1 }
                lines = kept + fileLines[(first - 1 + kept.count)..<end]
                if i == cells.count - 1 {
                    let lastEnd = cells[i].firstLine + cells[i].source.split(separator: "\n", omittingEmptySubsequences: false).count - 1
                    if lastEnd > end { lines += fileLines[end..<min(lastEnd, fileLines.count)] }
                }
            }
            // Annotations after the last cell's code: commands typed at the end.
            if i == cells.count - 1 {
                while let line = lines.last, line.trimmingCharacters(in: .whitespaces).hasPrefix(SessionAction.marker) || line.trimmingCharacters(in: .whitespaces).isEmpty {
                    let t = line.trimmingCharacters(in: .whitespaces)
                    if !t.isEmpty {
                        if let a = SessionAction(text: String(t.dropFirst(SessionAction.marker.count))) { trailing.insert(a, at: 0) }
                        else { warnings.append("line \(first + lines.count - 1): not an annotation mapl knows, ignored: \(t)") }
                    }
                    lines.removeLast()
                }
            }
            i += 1
            guard !lines.isEmpty else { trailing = actions + trailing; continue }
            out.append(Cell(source: lines.joined(separator: "\n"), firstLine: first, chapters: cell.chapters, actions: actions))
        }
        return (out, trailing, warnings)
    }

    /// `cell of N lines` → N.
    private static func cellExtent(_ body: String) -> Int? {
        let words = body.split(separator: " ")
        guard words.count == 4, words[0] == "cell", words[1] == "of", words[3] == "lines" || words[3] == "line",
              let n = Int(words[2]), n >= 1 else { return nil }
        return n
    }

    /// The annotation that keeps a notebook cell of several statements one cell in a saved file; nil for a
    /// cell a file cuts as one anyway.
    public static func extent(of source: String) -> String? {
        guard SourceCells.split(source).count > 1 else { return nil }
        let n = source.split(separator: "\n", omittingEmptySubsequences: false).count
        return SessionAction.marker + "cell of \(n) line\(n == 1 ? "" : "s")\n"
    }

    /// The annotation lines for `actions` (each with its newline).
    public static func lines(_ actions: [SessionAction]) -> String {
        actions.map { SessionAction.marker + $0.text + "\n" }.joined()
    }

    /// Whether `source` holds a pause, an interrupt or a request annotation (`#@ :step L`): such a file runs
    /// cell by cell, as it was recorded (`mapl run`).
    public static func repeatsActions(_ source: String) -> Bool {
        source.split(separator: "\n").contains { line in
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix(SessionAction.marker), let action = SessionAction(text: String(t.dropFirst(SessionAction.marker.count))) else { return false }
            return action.isSessionAction || action.request != nil
        }
    }
}
