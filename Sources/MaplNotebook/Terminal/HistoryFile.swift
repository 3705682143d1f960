import CReadline
import Foundation
import MaplCore

/// The prompt's history, kept across runs in a file (`$MAPL_HISTORY`, else `~/.local/share/mapl/history`):
/// one cell per line, newlines and backslashes escaped (`\n`, `\\`), the newest last, at most `limit`.
/// Each cell is appended as it is entered, so a crash loses nothing. A damaged file (unreadable, not
/// UTF-8, binary) never stops start-up: what can be read is used and a warning says what was skipped.
struct HistoryFile {
    let path: String
    static let limit = 2000

    static var defaultPath: String {
        if let p = ProcessInfo.processInfo.environment["MAPL_HISTORY"], !p.isEmpty { return p }
        let home = ProcessInfo.processInfo.environment["HOME"] ?? NSHomeDirectory()
        return (home as NSString).appendingPathComponent(".local/share/mapl/history")
    }

    /// Loads the entries into readline's history; returns a warning when something was skipped.
    func load() -> String? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        // A named pipe would block the read (and a later append) until someone is at its other end.
        if let kind = Files.notARegularFile(path) { return "history file \(path) is \(kind), not a file; starting without history" }
        guard let data = FileManager.default.contents(atPath: path) else {
            return "history file \(path) cannot be read; starting without history"
        }
        var skipped = 0
        var entries: [String] = []
        for line in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true) {
            guard !line.contains(0), let text = String(validatingUTF8: Array(line.map { CChar(bitPattern: $0) }) + [0]) else {
                skipped += 1
                continue
            }
            entries.append(HistoryFile.unescape(text))
        }
        for entry in entries.suffix(HistoryFile.limit) { add_history(entry) }
        if entries.count > HistoryFile.limit * 2 { rewrite(Array(entries.suffix(HistoryFile.limit))) }
        return skipped > 0 ? "history file \(path): \(skipped) damaged line\(skipped == 1 ? "" : "s") skipped" : nil
    }

    /// Adds a cell to readline's history and to the file.
    func append(_ entry: String) {
        add_history(entry)
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        guard let fd = try? Files.openRegular(path, O_WRONLY | O_APPEND | O_CREAT, mode: 0o600) else { return }
        defer { close(fd) }
        var bytes = Array((HistoryFile.escape(entry) + "\n").utf8)
        _ = write(fd, &bytes, bytes.count)
    }

    private func rewrite(_ entries: [String]) {
        let text = entries.map(HistoryFile.escape).joined(separator: "\n") + "\n"
        try? text.write(toFile: path, atomically: true, encoding: .utf8)
    }

    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\n", with: "\\n")
    }

    static func unescape(_ s: String) -> String {
        var out = ""
        var escaping = false
        for ch in s {
            if escaping { out.append(ch == "n" ? "\n" : ch); escaping = false }
            else if ch == "\\" { escaping = true }
            else { out.append(ch) }
        }
        return out
    }
}
