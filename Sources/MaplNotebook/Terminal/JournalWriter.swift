import Foundation
import MaplLang

/// Writes the session's events to the journal as they arrive (`$MAPL_JOURNAL`, else
/// `~/.local/share/mapl/journal/<date-time>.jsonl`): the JSON event stream, each line written with one
/// `write(2)`, so `kill -9` loses at most the event being written. A journal that cannot be opened is
/// reported once and the notebook goes on without it.
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
        fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
        if fd < 0 { problem = "cannot write the journal \(path): \(String(cString: strerror(errno)))" }
        write(EventJSON.header(source: source))
    }

    deinit { if fd >= 0 { close(fd) } }

    func record(_ event: DisplayEvent) { write(EventJSON.encode(event)) }

    private func write(_ line: String) {
        guard fd >= 0 else { return }
        let bytes = Array((line + "\n").utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { problem = "the journal \(path) stopped being written: \(String(cString: strerror(errno)))"; close(fd); fd = -1; return }
            offset += n
        }
    }
}
