import MaplLang

/// A `.mapl` file cut into the cells a notebook shows and replays: one per top-level statement, each with
/// the comment lines and blank lines just above it (a `## heading` comment opens a chapter), statements
/// sharing a line staying together. Cells are whole lines, so a cell's errors can name the file's lines.
public struct SourceCell: Sendable, Equatable {
    /// The cell's text (its lines, without the trailing newline).
    public var source: String
    /// The file line its first line is.
    public var firstLine: Int
    /// The `## ` headings among its leading comments, for replay's chapters.
    public var chapters: [String]
}

public enum SourceCells {
    /// The cells of `source`. A file that does not parse comes back as one cell (running it reports the
    /// syntax error where it is). Comments after the last statement join the last cell.
    public static func split(_ source: String) -> [SourceCell] {
        let lines = source.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            line.hasSuffix("\r") ? String(line.dropLast()) : String(line)
        }
        guard let program = try? Parser.parse(source), !program.statements.isEmpty else {
            let trimmed = source.trimmingCharacters(in: .whitespacesAndNewlines)
            return trimmed.isEmpty ? [] : [SourceCell(source: trimmed, firstLine: 1, chapters: headings(lines))]
        }
        // Each statement's last line; a statement starting on the line another ends on joins it.
        var ends: [Int] = []
        var lastEnd = 0
        for stmt in program.statements {
            let start = stmt.range.start.line, end = max(stmt.range.end.line, start)
            if start <= lastEnd, !ends.isEmpty { ends[ends.count - 1] = max(end, lastEnd); lastEnd = max(end, lastEnd); continue }
            ends.append(end)
            lastEnd = end
        }
        // A range ending at the start of the next line (its newline) belongs to the line before.
        var cells: [SourceCell] = []
        var from = 1
        for (i, end) in ends.enumerated() {
            let to = i == ends.count - 1 ? lines.count : end
            var slice = Array(lines[(from - 1)..<min(max(to, from), lines.count)])
            var first = from
            while let line = slice.first, line.trimmingCharacters(in: .whitespaces).isEmpty { slice.removeFirst(); first += 1 }
            while let line = slice.last, line.trimmingCharacters(in: .whitespaces).isEmpty { slice.removeLast() }
            if !slice.isEmpty {
                cells.append(SourceCell(source: slice.joined(separator: "\n"), firstLine: first, chapters: headings(slice)))
            }
            from = to + 1
        }
        return cells
    }

    /// `## Title` lines (the text after the marks) among the leading comment lines.
    static func headings(_ lines: [String]) -> [String] {
        var out: [String] = []
        for line in lines {
            let t = line.trimmingCharacters(in: .whitespaces)
            guard t.hasPrefix("#") else { if !t.isEmpty { break }; continue }
            if t.hasPrefix("## ") { out.append(String(t.dropFirst(3)).trimmingCharacters(in: .whitespaces)) }
        }
        return out
    }
}
