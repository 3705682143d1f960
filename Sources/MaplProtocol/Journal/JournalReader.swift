import Foundation
import MaplCore

/// Reads a journal one line at a time: from a file of any size in memory bounded by its longest line, or
/// from bytes already in memory. A line ends at "\n" (a "\r" before it is dropped: a journal that passed
/// through Windows); the last line needs no newline. It never refuses a file: a line that is not an event —
/// cut short by a crash, even inside a UTF-8 character, damaged, or of a newer kind — is skipped and named
/// (`line 12: not valid JSON (…), skipped`), and the lines after it are read.
public final class JournalReader: Sequence, IteratorProtocol {
    /// What one line held.
    public enum Item {
        /// The header: the session's file and the format version.
        case header(source: String?, version: Int?)
        case event(DisplayEvent)
        /// A line that was skipped, and why (`line 3: …, skipped`).
        case warning(String)
    }

    /// Why a journal could not be opened at all (the path is missing, a directory, unreadable).
    public struct OpenError: Error, CustomStringConvertible {
        public let description: String
    }

    /// A line longer than this is skipped without being held: no event the writer makes comes near it (a
    /// tensor travels whole only up to 65,536 values), so it is damage, and holding it could exhaust memory.
    public static let maxLineBytes = 1 << 30

    private let fd: Int32
    private var buffer: [UInt8]
    private var start = 0, scanned = 0
    private var atEnd: Bool
    private var lineNumber = 0
    private let lineLimit: Int, chunkSize: Int
    private var chunk: [UInt8] = []

    /// The journal at `path`, read as it is consumed.
    /// `lineLimit` and `chunkSize` (the bytes read at a time) are the defaults but for tests.
    public init(path: String, lineLimit: Int = JournalReader.maxLineBytes, chunkSize: Int = 1 << 20) throws {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        var info = stat()
        guard fd >= 0, fstat(fd, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else {
            if fd >= 0 { Glibc.close(fd) }
            // Files.contents says why in the project's words ("no such file", "is a directory", …).
            do { _ = try Files.contents(path, limit: 0) } catch { throw OpenError(description: "\(error)") }
            throw OpenError(description: "cannot read '\(path)'")
        }
        // A device (/dev/zero, /dev/urandom) never ends; a pipe does, so `mapl journal <(…)` streams.
        let kind = info.st_mode & S_IFMT
        guard kind != S_IFCHR && kind != S_IFBLK else {
            Glibc.close(fd)
            throw OpenError(description: "cannot read '\(path)': a device, not a journal file")
        }
        self.fd = fd
        self.lineLimit = lineLimit
        self.chunkSize = Swift.max(chunkSize, 1)
        buffer = []
        atEnd = false
    }

    /// A journal already in memory.
    public init(bytes: [UInt8]) {
        fd = -1
        lineLimit = JournalReader.maxLineBytes
        chunkSize = 0
        buffer = bytes
        atEnd = true
    }

    deinit { if fd >= 0 { Glibc.close(fd) } }

    /// True when the first bytes of the regular file at `path` are a journal's header (so a journal is
    /// recognised whatever it is named). A pipe is not looked into: what is read from it would be gone.
    public static func startsLikeJournal(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, let reader = try? JournalReader(path: path) else { return false }
        let header = Array("{\"mapl\":\"events\"".utf8)
        while reader.buffer.count < header.count + 3, !reader.atEnd { reader.fill() }
        var bytes = reader.buffer[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        return bytes.starts(with: header)
    }

    public func next() -> Item? {
        if let item = pending { pending = nil; return item }
        while let line = nextLine() {
            lineNumber += 1
            guard case .bytes(var bytes) = line else {
                let limit = lineLimit % (1 << 20) == 0 ? "\(lineLimit >> 20) MiB" : "\(lineLimit) bytes"
                return .warning("line \(lineNumber): longer than \(limit), skipped")
            }
            if lineNumber == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
            guard let item = EventJSON.item(bytes, line: lineNumber) else { continue }
            if case .header(_, let v?) = item, v > EventJSON.version {
                pending = .warning("line \(lineNumber): format version \(v) is newer than this mapl reads (\(EventJSON.version)); reading what it can")
            }
            return item
        }
        if let problem = readProblem {
            readProblem = nil
            return .warning("reading stopped after line \(lineNumber): \(problem)")
        }
        return nil
    }

    private enum Line { case bytes([UInt8]), tooLong }
    private var readProblem: String?
    private var pending: Item?

    /// The next line without its "\n" (or that it was too long to hold); nil at the end.
    private func nextLine() -> Line? {
        var skipping = false
        while true {
            let newline = buffer.withUnsafeBufferPointer { b -> Int? in
                guard start + scanned < b.count, let base = b.baseAddress,
                      let hit = memchr(base + start + scanned, 0x0A, b.count - start - scanned) else { return nil }
                return base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            }
            if let newline {
                let line: Line = skipping || newline - start > lineLimit ? .tooLong : .bytes(Array(buffer[start..<newline]))
                start = newline + 1
                scanned = 0
                return line
            }
            scanned = buffer.count - start
            if skipping || scanned > lineLimit {
                skipping = true
                buffer.removeAll(keepingCapacity: true)
                start = 0; scanned = 0
            }
            if atEnd {
                guard skipping || start < buffer.count else { return nil }
                let line: Line = skipping || buffer.count - start > lineLimit ? .tooLong : .bytes(Array(buffer[start...]))
                start = buffer.count
                scanned = 0
                return line
            }
            fill()
        }
    }

    /// Reads the next chunk of the file onto the buffer, dropping the lines already handed out.
    private func fill() {
        if start > 0 { buffer.removeSubrange(0..<start); start = 0 }
        if chunk.isEmpty { chunk = [UInt8](repeating: 0, count: chunkSize) }
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 { readProblem = String(cString: strerror(errno)) }
            if n <= 0 { atEnd = true; return }
            buffer.append(contentsOf: chunk[0..<n])
            return
        }
    }
}
