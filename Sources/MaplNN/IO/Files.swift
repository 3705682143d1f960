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

    /// The reason for `errno` `code`, with the common cases in the project's words (a write past `ulimit -f`
    /// names the limit).
    private static func reason(_ code: Int32) -> String {
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

    /// Writes `bytes` to `path`, replacing what is there as a whole: a failed or interrupted save never leaves
    /// half a weights file behind, and never a temporary file either. Throws naming the path.
    ///
    /// - A symlink is followed: the file it points to is replaced (the link stays a link).
    /// - An existing file keeps its permission bits (a private 0600 weights file stays private) and, where
    ///   the user may, its owner; a new file gets 0666 less the umask, as any program's.
    /// - The bytes go to a temporary file in the target's folder, which is then renamed onto the target
    ///   (atomic on one file system). A file with other hard links is rewritten in place instead, so every
    ///   name still shows the new contents — at the price of atomicity; so is anything not a regular file
    ///   (`/dev/null`, a named pipe).
    /// - SIGXFSZ (a write past `ulimit -f`) would kill the process; it is ignored, so the write fails with
    ///   EFBIG and the save reports the limit.
    public static func write(_ bytes: [UInt8], to path: String) throws {
        _ = ignoreFileSizeSignal
        func fail(_ why: String) -> DataError { DataError("cannot write '\(path)': \(why)") }
        let target = resolvingLinks(path)
        var existing = stat()
        let exists = lstat(target, &existing) == 0
        if exists && (existing.st_mode & S_IFMT) == S_IFDIR { throw fail("it is a folder, not a file") }
        // Another hard link, or no regular file at all (/dev/null, a pipe): write into it, never rename over it.
        if exists && ((existing.st_mode & S_IFMT) != S_IFREG || existing.st_nlink > 1) {
            try writeInPlace(bytes, to: target, sync: (existing.st_mode & S_IFMT) == S_IFREG, fail: fail)
            return
        }
        let folder = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent
        var temporary = ""
        var fd: Int32 = -1
        for _ in 0..<16 where fd < 0 {
            temporary = (folder.isEmpty ? "" : folder + "/") + ".\(base).\(UInt32.random(in: 0...UInt32.max)).tmp"
            fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if fd < 0 && errno != EEXIST { throw fail(reason(errno)) }
        }
        guard fd >= 0 else { throw fail("cannot create a temporary file next to it") }
        var done = false
        defer { if !done { unlink(temporary) } }   // every failure below removes the temporary file
        do {
            defer { close(fd) }
            if exists {
                _ = fchown(fd, existing.st_uid, existing.st_gid)   // allowed for root or the same owner; else kept as is
                guard fchmod(fd, existing.st_mode & 0o7777) == 0 else { throw fail(reason(errno)) }
            }
            try writeAll(fd, bytes, fail: fail)
            guard fsync(fd) == 0 else { throw fail(reason(errno)) }
        }
        guard rename(temporary, target) == 0 else { throw fail(reason(errno)) }
        done = true
    }

    /// Rewrites the file at `path` (which exists) with `bytes`, keeping its inode and so its hard links.
    /// `sync` only for regular files: a device or pipe has nothing to flush (fsync fails with EINVAL).
    private static func writeInPlace(_ bytes: [UInt8], to path: String, sync: Bool, fail: (String) -> DataError) throws {
        let fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC)
        guard fd >= 0 else { throw fail(reason(errno)) }
        defer { close(fd) }
        try writeAll(fd, bytes, fail: fail)
        guard !sync || fsync(fd) == 0 else { throw fail(reason(errno)) }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], fail: (String) -> DataError) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { throw fail(n < 0 ? reason(errno) : "the disk accepted no more bytes") }
                offset += n
            }
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

    /// SIGXFSZ's default action ends the process; ignored, a write past `ulimit -f` fails with EFBIG instead.
    private static let ignoreFileSizeSignal: Void = { signal(SIGXFSZ, SIG_IGN) }()

    /// True when a regular file exists at `path`.
    public static func exists(_ path: String) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && !isDirectory.boolValue
    }
}
