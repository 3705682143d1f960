import CKernels
import Foundation

/// Saving: the one write every file goes through (`save()`, `.npy`, safetensors, the notebook's `:save`).
extension Files {
    /// Writes `bytes` to `path`, replacing what is there as a whole: a failed save (full disk, `ulimit -f`,
    /// permission) leaves the old contents whole and no temporary file. Throws naming the path.
    ///
    /// - A symlink is followed: the file it points to is replaced (the link stays a link).
    /// - An existing file keeps its permission bits (a private 0600 weights file stays private) and, where
    ///   the user may, its owner; a new file gets 0666 less the umask, as any program's.
    /// - The bytes go to a temporary file in the target's folder, which is then renamed onto the target
    ///   (atomic on one file system). The temporary file has no name while it is written (`O_TMPFILE`), so
    ///   a crash leaves nothing; where the file system cannot do that it is `.NAME.<n>.tmp`, and one a
    ///   killed save left behind is removed by the next save of that file.
    /// - A file with other hard links is rewritten in place, so every name shows the new contents: its
    ///   room on disk is reserved and the size limit checked first, so a full disk or `ulimit -f` leaves it
    ///   whole; only a crash in the middle of the rewrite can leave it mixed. A file system that cannot
    ///   reserve room gets a refusal that says why.
    /// - A character device (`/dev/null`) is written; a named pipe, socket or folder is refused.
    /// - A write past `ulimit -f` fails with EFBIG and the save reports the limit — provided the program
    ///   ignores SIGXFSZ, whose default action ends the process (`mapl` does at start-up: a signal's
    ///   disposition is the whole process's, so library code leaves it to the program).
    public static func write(_ bytes: [UInt8], to path: String) throws {
        func fail(_ why: String) -> DataError { DataError("cannot write '\(path)': \(why)") }
        let target = resolvingLinks(path)
        var existing = stat()
        let exists = lstat(target, &existing) == 0
        if exists {
            switch existing.st_mode & S_IFMT {
            case S_IFREG where existing.st_nlink > 1: return try rewriteLinked(bytes, at: target, fail: fail)
            case S_IFREG: break
            case S_IFDIR: throw fail("it is a folder, not a file")
            case S_IFCHR: return try writeToDevice(bytes, at: target, fail: fail)
            default: throw fail("it is \(kindName(existing.st_mode) ?? "not a file"), not a file")
            }
        }
        try replace(target, with: bytes, keeping: exists ? existing : nil, fail: fail)
    }

    /// Writes `bytes` beside `target` and renames them onto it; `existing` is the stat of the file replaced.
    private static func replace(_ target: String, with bytes: [UInt8], keeping existing: stat?, fail: (String) -> DataError) throws {
        let folder = (target as NSString).deletingLastPathComponent
        let base = (target as NSString).lastPathComponent
        let prefix = (folder.isEmpty ? "" : folder + "/") + "." + base + "."
        removeStaleTemporaries(folder: folder, base: base)
        // Unnamed while written, so a crash leaves nothing; locked, so another save's cleanup leaves it alone.
        // (Naming it later goes through /proc/self/fd: without /proc, a named temporary file from the start.)
        var fd = access("/proc/self/fd", F_OK) == 0 ? mapl_open_unnamed(folder.isEmpty ? "." : folder, 0o666) : -1
        let unnamed = fd >= 0
        var temporary = ""
        if !unnamed {
            for _ in 0..<16 where fd < 0 {
                temporary = prefix + "\(UInt32.random(in: 0...UInt32.max)).tmp"
                fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
                if fd < 0 && errno != EEXIST { throw fail(reason(errno)) }
            }
            guard fd >= 0 else { throw fail("cannot create a temporary file next to it") }
        }
        _ = flock(fd, LOCK_EX | LOCK_NB)
        var done = false
        defer { if !done && !temporary.isEmpty { unlink(temporary) } }   // every failure below removes it
        defer { close(fd) }
        if let existing {
            _ = fchown(fd, existing.st_uid, existing.st_gid)   // allowed for root or the same owner; else kept as is
            guard fchmod(fd, existing.st_mode & 0o7777) == 0 else { throw fail(reason(errno)) }
        }
        try writeAll(fd, bytes, fail: fail)
        guard fsync(fd) == 0 else { throw fail(reason(errno)) }
        if unnamed {
            // A name for the finished file, then the rename: only a crash between the two leaves it visible.
            for _ in 0..<16 {
                temporary = prefix + "\(UInt32.random(in: 0...UInt32.max)).tmp"
                if linkat(AT_FDCWD, "/proc/self/fd/\(fd)", AT_FDCWD, temporary, AT_SYMLINK_FOLLOW) == 0 { break }
                let code = errno
                temporary = ""
                if code != EEXIST { throw fail(reason(code)) }
            }
            guard !temporary.isEmpty else { throw fail("cannot create a temporary file next to it") }
        }
        guard rename(temporary, target) == 0 else { throw fail(reason(errno)) }
        done = true
    }

    /// Removes `.BASE.<digits>.tmp` files in `folder` that no save holds (a save locks its temporary file):
    /// what a save killed mid-write left behind.
    static func removeStaleTemporaries(folder: String, base: String) {
        let place = folder.isEmpty ? "." : folder
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: place) else { return }
        let prefix = "." + base + "."
        for name in names where name.hasPrefix(prefix) && name.hasSuffix(".tmp") {
            let middle = name.dropFirst(prefix.count).dropLast(4)
            guard !middle.isEmpty, middle.allSatisfy(\.isASCII), middle.allSatisfy(\.isNumber) else { continue }
            let path = place + "/" + name
            var info = stat()
            guard lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
            let fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { unlink(path) }
            close(fd)
        }
    }

    /// Rewrites a file that has other hard links in place, so every name shows the new contents. Its room
    /// is reserved (`fallocate`, size kept) and `ulimit -f` checked before the first byte changes, so the
    /// failures a save meets — a full disk, the size limit — leave the old contents whole.
    private static func rewriteLinked(_ bytes: [UInt8], at path: String, fail: (String) -> DataError) throws {
        let fd: Int32
        do { fd = try openRegular(path, O_WRONLY) } catch let e as ReadError { throw fail(e.reason) }
        defer { close(fd) }
        var limit = rlimit()
        if getrlimit(__rlimit_resource_t(RLIMIT_FSIZE.rawValue), &limit) == 0, limit.rlim_cur != rlim_t.max,
           UInt64(bytes.count) > UInt64(limit.rlim_cur) {
            throw fail(reason(EFBIG))
        }
        if !bytes.isEmpty, mapl_reserve_room(fd, Int64(bytes.count)) != 0 {
            let code = errno
            if code == EOPNOTSUPP || code == ENOSYS {
                throw fail("it has other hard links, and this file system cannot reserve room to rewrite it safely in place; save under another name")
            }
            throw fail(reason(code))
        }
        try writeAll(fd, bytes, fail: fail)
        guard ftruncate(fd, off_t(bytes.count)) == 0, fsync(fd) == 0 else { throw fail(reason(errno)) }
    }

    /// Writes `bytes` to a character device (`/dev/null`, `/dev/full`); nothing to flush or replace.
    private static func writeToDevice(_ bytes: [UInt8], at path: String, fail: (String) -> DataError) throws {
        let fd: Int32
        do { fd = try openRegular(path, O_WRONLY, allowing: (devices: true, pipes: false)) } catch let e as ReadError { throw fail(e.reason) }
        defer { close(fd) }
        try writeAll(fd, bytes, fail: fail)
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
}
