import XCTest
import Foundation
@testable import MaplNN

/// Saving files: atomic replacement that follows symlinks, keeps permissions and hard links, never leaves a
/// temporary file behind, and never destroys the old contents when the new ones cannot be written whole.
final class IOFilesTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "files-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: folder) }

    private func contents(_ path: String) throws -> [UInt8] { [UInt8](try Data(contentsOf: URL(fileURLWithPath: path))) }
    private func mode(_ path: String) -> mode_t { var s = stat(); stat(path, &s); return s.st_mode & 0o7777 }
    private func entries() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: folder).sorted() }

    func testNewFileGetsTheUmaskMode() throws {
        let path = folder + "/new.bin"
        let old = umask(0o022)
        defer { umask(old) }
        try Files.write([1, 2, 3], to: path)
        XCTAssertEqual(try contents(path), [1, 2, 3])
        XCTAssertEqual(mode(path), 0o644)
        XCTAssertEqual(try entries(), ["new.bin"])
    }

    func testReplacingKeepsAPrivateMode() throws {
        let path = folder + "/weights.safetensors"
        try Files.write([1], to: path)
        chmod(path, 0o600)
        try Files.write([4, 5], to: path)
        XCTAssertEqual(try contents(path), [4, 5])
        XCTAssertEqual(mode(path), 0o600)
        XCTAssertEqual(try entries(), ["weights.safetensors"])
    }

    func testASymlinkIsFollowedAndStaysALink() throws {
        let target = folder + "/real.bin", link = folder + "/link.bin"
        try Files.write([1], to: target)
        chmod(target, 0o640)
        XCTAssertEqual(symlink("real.bin", link), 0)   // relative, as `ln -s real.bin link.bin`
        try Files.write([7, 8, 9], to: link)
        XCTAssertEqual(try contents(target), [7, 8, 9])
        XCTAssertEqual(try FileManager.default.destinationOfSymbolicLink(atPath: link), "real.bin")
        XCTAssertEqual(mode(target), 0o640)
        // A dangling link: its target is created.
        let dangling = folder + "/dangling.bin"
        XCTAssertEqual(symlink(folder + "/made.bin", dangling), 0)
        try Files.write([3], to: dangling)
        XCTAssertEqual(try contents(folder + "/made.bin"), [3])
        XCTAssertEqual(try entries(), ["dangling.bin", "link.bin", "made.bin", "real.bin"])
    }

    func testHardLinksKeepSharingTheContents() throws {
        let a = folder + "/a.bin", b = folder + "/b.bin"
        try Files.write([1, 1], to: a)
        XCTAssertEqual(link(a, b), 0)
        try Files.write([2, 2, 2], to: a)
        XCTAssertEqual(try contents(b), [2, 2, 2])
        var sa = stat(), sb = stat()
        stat(a, &sa); stat(b, &sb)
        XCTAssertEqual(sa.st_ino, sb.st_ino)
    }

    func testFailuresNameThePathAndLeaveNothingBehind() throws {
        XCTAssertThrowsError(try Files.write([1], to: folder)) {
            XCTAssertEqual("\($0)", "cannot write '\(folder)': it is a folder, not a file")
        }
        XCTAssertThrowsError(try Files.write([1], to: folder + "/missing/x.bin")) {
            XCTAssertTrue("\($0)".hasPrefix("cannot write '\(folder)/missing/x.bin': no such file"), "\($0)")
        }
        // A folder that cannot be written (not for root, who may write anywhere).
        if geteuid() != 0 {
            let locked = folder + "/locked"
            try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
            chmod(locked, 0o500)
            defer { chmod(locked, 0o700) }
            XCTAssertThrowsError(try Files.write([1], to: locked + "/x.bin")) { XCTAssertTrue("\($0)".contains("permission denied"), "\($0)") }
        }
        XCTAssertFalse(try entries().contains { $0.hasSuffix(".tmp") })
    }

    func testTheNullDeviceIsWrittenNotReplaced() throws {
        try Files.write([1, 2], to: "/dev/null")
        var s = stat()
        XCTAssertEqual(stat("/dev/null", &s), 0)
        XCTAssertEqual(s.st_mode & S_IFMT, S_IFCHR)
    }

    /// A named pipe is refused at once, for reading and for writing, whether or not anyone is at its other
    /// end: waiting for a writer (or reader) would hang the session.
    func testANamedPipeIsRefusedNotWaitedFor() throws {
        let pipe = folder + "/pipe"
        XCTAssertEqual(mkfifo(pipe, 0o600), 0)
        XCTAssertThrowsError(try Files.read(pipe)) { XCTAssertEqual("\($0)", "cannot read '\(pipe)': it is a named pipe, not a file") }
        XCTAssertThrowsError(try Files.write([1, 2], to: pipe)) { XCTAssertEqual("\($0)", "cannot write '\(pipe)': it is a named pipe, not a file") }
        // A program may come from a pipe (`mapl run <(command)`): read when asked for, and with no writer it is empty.
        XCTAssertEqual(try Files.contents(pipe, limit: 100, pipes: true), [])
        // With a reader and a writer at the other end it is still no file.
        let reader = open(pipe, O_RDONLY | O_NONBLOCK), writer = open(pipe, O_WRONLY | O_NONBLOCK)
        defer { close(reader); close(writer) }
        XCTAssertThrowsError(try Files.read(pipe)) { XCTAssertTrue("\($0)".hasSuffix("it is a named pipe, not a file"), "\($0)") }
        XCTAssertThrowsError(try Files.write([1, 2], to: pipe)) { XCTAssertTrue("\($0)".hasSuffix("it is a named pipe, not a file"), "\($0)") }
        XCTAssertEqual(Files.notARegularFile(pipe), "a named pipe")
        XCTAssertNil(Files.notARegularFile(folder + "/absent"))
    }

    /// Data is read from files: a device is refused (it may never end); a program (read with a limit) may be one.
    func testADeviceIsReadOnlyWithALimit() throws {
        XCTAssertThrowsError(try Files.read("/dev/zero")) { XCTAssertEqual("\($0)", "cannot read '/dev/zero': it is a device, not a file") }
        XCTAssertThrowsError(try Files.contents("/dev/zero", limit: 1 << 20)) { XCTAssertTrue("\($0)".hasSuffix("it is larger than 1 MiB"), "\($0)") }
        XCTAssertEqual(try Files.contents("/dev/null", limit: 10), [])
    }

    /// A save killed mid-write (kill -9) leaves `.NAME.<n>.tmp`; the next save of that file removes it — but
    /// not one another save is still writing (it holds a lock), nor anything of another name.
    func testTheNextSaveRemovesATemporaryFileAKilledSaveLeft() throws {
        let path = folder + "/w.npy"
        let stale = folder + "/.w.npy.123456.tmp", busy = folder + "/.w.npy.777.tmp", other = folder + "/.x.npy.1.tmp", mine = folder + "/.w.npy.notes.tmp"
        for name in [stale, busy, other, mine] { XCTAssertTrue(FileManager.default.createFile(atPath: name, contents: Data([9]))) }
        let holder = open(busy, O_RDONLY)
        defer { close(holder) }
        XCTAssertEqual(flock(holder, LOCK_EX), 0)
        try Files.write([1, 2, 3], to: path)
        XCTAssertEqual(try contents(path), [1, 2, 3])
        XCTAssertEqual(try entries(), [".w.npy.777.tmp", ".w.npy.notes.tmp", ".x.npy.1.tmp", "w.npy"])
    }

    /// On a full disk (a 64 KiB tmpfs) a save that does not fit fails and leaves the old contents whole —
    /// also for a file with another hard link, which used to be truncated first and left as a fragment of
    /// the new contents under both names. Needs root (to mount); skipped elsewhere, saying why.
    func testAFullDiskNeverDestroysTheOldContents() throws {
        let disk = try SmallDisk(folder: folder + "/disk", kib: 64)
        defer { disk.unmount() }
        let a = disk.path + "/a.bin", b = disk.path + "/b.bin", c = disk.path + "/c.bin"
        let old = [UInt8](repeating: 7, count: 40 << 10), new = [UInt8](repeating: 8, count: 100 << 10)
        try Files.write(old, to: a)
        XCTAssertEqual(link(a, b), 0)
        XCTAssertThrowsError(try Files.write(new, to: a)) { XCTAssertTrue("\($0)".contains("No space left on device") || "\($0)".contains("no space"), "\($0)") }
        XCTAssertEqual(try contents(a), old)
        XCTAssertEqual(try contents(b), old)
        // A file of its own: the new contents go beside it and do not fit either.
        try Files.write([UInt8](repeating: 5, count: 20 << 10), to: c)
        XCTAssertThrowsError(try Files.write([UInt8](repeating: 6, count: 30 << 10), to: c))
        XCTAssertEqual(try contents(c), [UInt8](repeating: 5, count: 20 << 10))
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: disk.path).sorted(), ["a.bin", "b.bin", "c.bin"])
        // What fits is written, and the links still share it.
        try FileManager.default.removeItem(atPath: c)
        let fits = [UInt8](repeating: 9, count: 50 << 10)
        try Files.write(fits, to: b)
        XCTAssertEqual(try contents(a), fits)
    }
}

/// A tmpfs of a few KiB mounted for one test, to make a disk full on purpose. Mounting needs root (tests
/// run as root in CI); elsewhere the test is skipped with the reason printed.
struct SmallDisk {
    let path: String

    init(folder: String, kib: Int) throws {
        path = folder
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        guard geteuid() == 0 else { throw XCTSkip("mounting a \(kib) KiB tmpfs needs root; this test runs as root in CI") }
        guard mount("tmpfs", folder, "tmpfs", 0, "size=\(kib)k") == 0 else {
            throw XCTSkip("cannot mount a tmpfs at \(folder): \(String(cString: strerror(errno)))")
        }
    }

    func unmount() { _ = umount2(path, Int32(MNT_DETACH)) }
}
