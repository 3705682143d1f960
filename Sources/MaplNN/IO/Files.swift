import Foundation

/// Whole-file reads and writes with error messages that name the file — the one place data and weight
/// loaders touch the file system, so every "cannot read" message reads the same.
public enum Files {
    /// Why a file could not be read, in words a user acts on: "no such file", "is a directory",
    /// "permission denied" (the system's own words for rarer failures).
    public struct ReadError: Error, CustomStringConvertible {
        public let path: String
        public let reason: String
        public var description: String { "cannot read '\(path)': \(reason)" }
    }

    /// The bytes of the file at `path`; throws a `TensorError` naming the path when it is missing, a
    /// directory or unreadable.
    public static func read(_ path: String) throws -> [UInt8] {
        do { return try contents(path) } catch let e as ReadError { throw TensorError(e.description) }
    }

    /// The bytes of the file at `path`, read with POSIX calls so a failure's reason is the system's
    /// (`errno`), not a guess; throws `ReadError`. Beyond `limit` bytes (a device such as /dev/zero, a
    /// mistaken path) it stops and says so rather than exhaust memory.
    public static func contents(_ path: String, limit: Int = Int.max) throws -> [UInt8] {
        func fail(_ code: Int32) -> ReadError { ReadError(path: path, reason: reason(code)) }
        let fd = Glibc.open(path, O_RDONLY)
        guard fd >= 0 else { throw fail(errno) }
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail(errno) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw fail(EISDIR) }
        var bytes: [UInt8] = []
        if (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 { bytes.reserveCapacity(Int(min(Int64(limit), Int64(info.st_size)))) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw fail(errno)
            }
            if n == 0 { return bytes }
            guard n <= limit - bytes.count else {
                let size = limit % (1 << 20) == 0 ? "\(limit >> 20) MiB" : "\(limit) bytes"
                throw ReadError(path: path, reason: "it is larger than \(size)")
            }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// The reason for `errno` `code`, with the common cases in the project's words.
    private static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: return "no such file"
        case EISDIR: return "is a directory"
        case EACCES, EPERM: return "permission denied"
        case ENOTDIR: return "a part of the path is not a directory"
        default:
            let text = String(cString: strerror(code))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
    }

    /// Writes `bytes` to `path` atomically (a temporary file renamed into place, so a failed write never leaves
    /// half a weights file behind); throws naming the path.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw TensorError("cannot write '\(path)': \(error.localizedDescription)")
        }
    }

    /// True when a regular file exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
