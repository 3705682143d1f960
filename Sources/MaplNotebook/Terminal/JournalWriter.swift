import Foundation
import MaplLang
import MaplNN

/// Writes the session's events to the journal as they arrive (`$MAPL_JOURNAL`, else
/// `~/.local/share/mapl/journal/<date-time>.jsonl`): the JSON event stream. The events a frame takes in are
/// written together with one `write(2)` (`flush`), at most a tenth of a second after they happened — a
/// `fit` sends a thousand batch events a second, and a write each cost the UI thread a tenth of its time; a
/// submitted cell is written at once, so `kill -9` never loses what was typed. A journal that cannot be
/// opened is reported once and the notebook goes on without it.
final class JournalWriter {
    let path: String
    private var fd: Int32 = -1
    private(set) var problem: String?

    init(source: String?) {
        let env = ProcessInfo.processInfo.environment
        if let p = env["MAPL_JOURNAL"], !p.isEmpty {
            path = p
        } else {
            let home = env["HOME"] ?? NSHomeDirectory()
            let formatter = DateFormatter()
            formatter.dateFormat = "yyyy-MM-dd'T'HH-mm-ss"
            path = (home as NSString).appendingPathComponent(".local/share/mapl/journal/\(formatter.string(from: Date())).jsonl")
        }
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        // Only a regular file: a named pipe would block the open (and so the start) until someone reads it.
        do { fd = try Files.openRegular(path, O_WRONLY | O_APPEND | O_CREAT, mode: 0o600) } catch let e as Files.ReadError {
            problem = "cannot write the journal \(path): \(e.reason)"
        } catch { problem = "cannot write the journal \(path): \(error)" }
        write(EventJSON.header(source: source))
    }

    deinit { if fd >= 0 { close(fd) } }

    private var pending: [UInt8] = []

    /// Adds `event` to what the next `flush` writes.
    func record(_ event: DisplayEvent) {
        guard fd >= 0 else { return }
        pending += EventJSON.encode(event).utf8
        pending.append(UInt8(ascii: "\n"))
    }

    /// Writes what was recorded since the last flush.
    func flush() {
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        writeAll(pending)
    }

    private func write(_ line: String) { writeAll(Array((line + "\n").utf8)) }

    private func writeAll(_ bytes: [UInt8]) {
        guard fd >= 0 else { return }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { problem = "the journal \(path) stopped being written: \(String(cString: strerror(errno)))"; close(fd); fd = -1; return }
            offset += n
        }
    }
}
