import Foundation
import MaplCore

/// Writes the session's events to the journal as they arrive (`$MAPL_JOURNAL`, else a file of its own in
/// `~/.local/share/mapl/journal/`, named for the moment the session began to the millisecond and its process:
/// `2026-12-06T16-39-01.123-4242.jsonl`, created only if no other session has it): the JSON event stream.
/// The events a frame takes in are written together with one `write(2)` (`flush`), at most a tenth of a
/// second after they happened — a `fit` sends a thousand batch events a second, and a write each cost the UI
/// thread a tenth of its time; a submitted cell is written at once, so `kill -9` never loses what was typed.
/// `$MAPL_JOURNAL` is appended to (sessions one after another add to it); a session saves only its own part
/// (`sessionContents`). A journal that cannot be opened is reported once and the front end (the notebook, the
/// Jupyter kernel) goes on without it.
public final class JournalWriter {
    public let path: String
    private var fd: Int32 = -1
    /// Where this session's part of the file begins.
    private var start: off_t = 0
    public private(set) var problem: String?

    public init(source: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        if let p = environment["MAPL_JOURNAL"], !p.isEmpty {
            path = p
            try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            // Only a regular file: a named pipe would block the open (and so the start) until someone reads it.
            do { fd = try Files.openRegular(path, O_WRONLY | O_APPEND | O_CREAT, mode: 0o600) } catch let e as Files.ReadError {
                problem = "cannot write the journal \(path): \(e.reason)"
            } catch { problem = "cannot write the journal \(path): \(error)" }
        } else {
            let home = environment["HOME"] ?? NSHomeDirectory()
            let folder = (home as NSString).appendingPathComponent(".local/share/mapl/journal")
            try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "yyyy-MM-dd'T'HH-mm-ss.SSS"
            let stem = (folder as NSString).appendingPathComponent("\(formatter.string(from: Date()))-\(getpid())")
            // O_EXCL: a name another session holds is never shared; the next free one is taken instead.
            var candidate = stem + ".jsonl"
            for n in 2...100 {
                fd = open(candidate, O_WRONLY | O_APPEND | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
                if fd >= 0 || errno != EEXIST { break }
                candidate = stem + "-\(n).jsonl"
            }
            path = candidate
        }
        if fd < 0, problem == nil { problem = "cannot write the journal \(path): \(String(cString: strerror(errno)))" }
        if fd < 0 { return }
        start = lseek(fd, 0, SEEK_END)
        write(EventJSON.header(source: source))
    }

    deinit { if fd >= 0 { close(fd) } }

    private var pending: [UInt8] = []

    /// Adds `event` to what the next `flush` writes.
    public func record(_ event: DisplayEvent) {
        guard fd >= 0 else { return }
        pending += EventJSON.encode(event).utf8
        pending.append(UInt8(ascii: "\n"))
    }

    /// Writes what was recorded since the last flush.
    public func flush() {
        guard !pending.isEmpty else { return }
        defer { pending.removeAll(keepingCapacity: true) }
        writeAll(pending)
    }

    /// This session's journal — its header and everything after it, not the sessions `$MAPL_JOURNAL` held
    /// before — with what is pending written first (`:save FILE.jsonl`).
    public func sessionContents() throws -> [UInt8] {
        flush()
        let reader = open(path, O_RDONLY | O_CLOEXEC)
        guard reader >= 0 else { throw JournalError(message: "cannot read the journal \(path): \(String(cString: strerror(errno)))") }
        defer { close(reader) }
        var bytes: [UInt8] = [], offset = start
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = chunk.withUnsafeMutableBytes { pread(reader, $0.baseAddress, $0.count, offset) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw JournalError(message: "cannot read the journal \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { return bytes }
            bytes += chunk[0..<n]
            offset += off_t(n)
        }
    }

    public struct JournalError: Error, CustomStringConvertible {
        public let message: String
        public var description: String { message }
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
