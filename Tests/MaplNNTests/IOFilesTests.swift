import XCTest
import Foundation
@testable import MaplNN

/// Saving files: atomic replacement that follows symlinks, keeps permissions and hard links, and never
/// leaves a temporary file behind.
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
}
