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

    /// The bytes of the file at `path`; throws a `DataError` naming the path when it is missing, a
    /// directory or unreadable.
    public static func read(_ path: String) throws -> [UInt8] {
        do { return try contents(path) } catch let e as ReadError { throw DataError(e.description) }
    }

    /// The bytes of the file at `path`, read with POSIX calls so a failure's reason is the system's
    /// (`errno`), not a guess; throws `ReadError`. Beyond `limit` bytes it stops and says so rather than
    /// exhaust memory, and every growth of the buffer passes `MemoryBudget` first (a file larger than the
    /// memory the process may use is an error, not an abort).
    ///
    /// What is read: a regular file; a character device (`/dev/stdin`, `/dev/zero`) only with a `limit`,
    /// since it may never end; a named pipe only when `pipes` (a program given as `<(command)`), since
    /// otherwise its open and read wait for a writer forever. Anything else is refused, saying what it is.
    public static func contents(_ path: String, limit: Int = Int.max, pipes: Bool = false) throws -> [UInt8] {
        func fail(_ code: Int32) -> ReadError { ReadError(path: path, reason: reason(code)) }
        let fd = try openRegular(path, O_RDONLY, allowing: (devices: limit < Int.max, pipes: pipes))
        defer { Glibc.close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw fail(errno) }
        var bytes: [UInt8] = []
        if (info.st_mode & S_IFMT) == S_IFREG, info.st_size > 0 {
            let size = Int(min(Int64(limit), Int64(info.st_size)))
            try reserve(size, in: &bytes, path: path)
        }
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
            if bytes.count + n > bytes.capacity { try reserve(max(bytes.count + n, bytes.capacity * 2), in: &bytes, path: path) }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// Grows `bytes` to hold `count` bytes once the memory budget allows it.
    private static func reserve(_ count: Int, in bytes: inout [UInt8], path: String) throws {
        do { try MemoryBudget.check(bytes: count, what: "reading it") } catch {
            throw ReadError(path: path, reason: "\(error)")
        }
        bytes.reserveCapacity(count)
    }

    /// What a path is, when it exists and is not a regular file: "a folder", "a named pipe", "a device",
    /// "a socket"; nil for a regular file or nothing at all. Symlinks are followed.
    public static func notARegularFile(_ path: String) -> String? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return kindName(info.st_mode)
    }

    /// "a folder", "a named pipe", … for a mode that is not a regular file's; nil for a regular file.
    static func kindName(_ mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a named pipe"
        case S_IFSOCK: return "a socket"
        default: return "a device"
        }
    }

    /// Opens `path` with `flags` without ever waiting: a named pipe with no one at its other end would
    /// block `open` (and then `read` or `write`) forever, so the open is non-blocking and what it opened is
    /// checked before the descriptor is made blocking again. Refuses (with `ReadError`, saying what it is)
    /// anything but a regular file, a character device when `allowing.devices` and a pipe when
    /// `allowing.pipes`. `mode` is for `O_CREAT`.
    public static func openRegular(_ path: String, _ flags: Int32, mode: mode_t = 0o666,
                                   allowing: (devices: Bool, pipes: Bool) = (false, false)) throws -> Int32 {
        let fd = Glibc.open(path, flags | O_NONBLOCK | O_CLOEXEC, mode)
        guard fd >= 0 else {
            // A pipe opened for writing with no reader fails at once (ENXIO) rather than waiting.
            let code = errno
            if code == ENXIO, notARegularFile(path) == "a named pipe" {
                throw ReadError(path: path, reason: "it is a named pipe, not a file")
            }
            throw ReadError(path: path, reason: reason(code))
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else { let code = errno; Glibc.close(fd); throw ReadError(path: path, reason: reason(code)) }
        let kind = info.st_mode & S_IFMT
        let allowed = kind == S_IFREG || (kind == S_IFCHR && allowing.devices) || (kind == S_IFIFO && allowing.pipes)
        guard allowed else {
            Glibc.close(fd)
            if kind == S_IFDIR { throw ReadError(path: path, reason: reason(EISDIR)) }
            throw ReadError(path: path, reason: "it is \(kindName(info.st_mode) ?? "not a file"), not a file")
        }
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
        return fd
    }

    /// The reason for `errno` `code`, with the common cases in the project's words (a write past `ulimit -f`
    /// names the limit).
    static func reason(_ code: Int32) -> String {
        switch code {
        case EFBIG:
            var limit = rlimit()
            let known = getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0 && limit.rlim_cur != rlim_t.max
            return "the file would exceed the size limit for files" + (known ? " of \(limit.rlim_cur) bytes" : "") + " (ulimit -f)"
        case ENOENT: return "no such file"
        case EISDIR: return "is a directory"
        case EACCES, EPERM: return "permission denied"
        case ENOTDIR: return "a part of the path is not a directory"
        default:
            let text = String(cString: strerror(code))
            return text.prefix(1).lowercased() + text.dropFirst()
        }
    }

    /// The file a path finally names: symlinks followed, also a dangling one (whose target is created).
    /// Gives up after 40 links, as the kernel does, and returns the path reached.
    static func resolvingLinks(_ path: String) -> String {
        var current = path
        for _ in 0..<40 {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(current, &buffer, buffer.count - 1)
            guard n >= 0 else { return current }   // not a link (or not there): this is the file
            let link = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            current = link.hasPrefix("/") ? link : ((current as NSString).deletingLastPathComponent as NSString).appendingPathComponent(link)
        }
        return current
    }

    /// True when a regular file exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
