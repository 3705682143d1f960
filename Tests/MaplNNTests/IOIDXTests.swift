import XCTest
@testable import MaplNN

/// IDX files built byte by byte from the format description, plain and gzip-compressed, and broken ones.
final class IOIDXTests: XCTestCase {
    /// Shape [2, 2, 3] (magic 00 00 08 03, three big-endian dimensions), elements 0, 20, …, 220.
    let plain: [UInt8] = [0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 3] + (0..<12).map { UInt8($0 * 20) }
    /// The same file compressed by Python: base64.b64encode(gzip.compress(plain, mtime=0)).
    let pythonGzip = "H4sIAAAAAAACA2Ng4GBmYGBggmJmBhENm4CUip4FW07cAQCmE+RdHAAAAA=="

    func tempDir() throws -> String {
        let dir = NSTemporaryDirectory() + "idx-tests-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: dir) }
        return dir
    }

    func testPlainRank3() throws {
        let a = try IDX.parse(plain)
        XCTAssertEqual(a.shape, [2, 2, 3])
        XCTAssertEqual(a.bytes, [0, 20, 40, 60, 80, 100, 120, 140, 160, 180, 200, 220])
        let t = try a.tensor()
        XCTAssertEqual(t.shape, [2, 2, 3])
        XCTAssertEqual(t.scalars[11], 220)
    }

    func testPythonGzip() throws {
        let gz = [UInt8](Data(base64Encoded: pythonGzip)!)
        let a = try IDX.parse(gz, name: "fixture.gz")
        XCTAssertEqual(a.shape, [2, 2, 3])
        XCTAssertEqual(a.bytes, Array(plain[16...]))
    }

    func testRank1AndRank0() throws {
        XCTAssertEqual(try IDX.parse([0, 0, 8, 1, 0, 0, 0, 3, 5, 0, 4]), IDXArray(shape: [3], bytes: [5, 0, 4]))
        XCTAssertEqual(try IDX.parse([0, 0, 8, 0, 9]), IDXArray(shape: [], bytes: [9]))
        // A large first dimension read big-endian: 0x00000101 = 257.
        let big = try IDX.parse([0, 0, 8, 1, 0, 0, 1, 1] + [UInt8](repeating: 7, count: 257))
        XCTAssertEqual(big.shape, [257])
    }

    func testEncodeIsTheFormat() throws {
        XCTAssertEqual(try IDX.encode(IDXArray(shape: [2, 2, 3], bytes: Array(plain[16...]))), plain)
    }

    func testReadFromFilesPlainAndGzipped() throws {
        let dir = try tempDir()
        try Data(plain).write(to: URL(fileURLWithPath: dir + "/a-idx3-ubyte"))
        try Data(base64Encoded: pythonGzip)!.write(to: URL(fileURLWithPath: dir + "/a-idx3-ubyte.gz"))
        XCTAssertEqual(try IDX.read(dir + "/a-idx3-ubyte"), try IDX.read(dir + "/a-idx3-ubyte.gz"))
    }

    func testMultiMemberGzip() throws {
        // `cat a.gz b.gz` decompresses to the concatenation, as with gunzip.
        let first = try Gzip.compress(Array(plain[0..<10]))
        let second = try Gzip.compress(Array(plain[10...]))
        XCTAssertEqual(try Gzip.decompress(first + second, name: "two.gz"), plain)
    }

    func assertThrows(_ body: @autoclosure () throws -> Any, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let message = (error as? UserFacingError)?.message ?? "\(error)"
            for p in parts { XCTAssertTrue(message.contains(p), "'\(message)' should contain '\(p)'", file: file, line: line) }
        }
    }

    func testTruncatedGzipNamesTheFile() throws {
        let dir = try tempDir()
        let gz = [UInt8](Data(base64Encoded: pythonGzip)!)
        let path = dir + "/cut.gz"
        try Data(gz.prefix(gz.count - 12)).write(to: URL(fileURLWithPath: path))
        assertThrows(try IDX.read(path), contains: [path, "truncated"])
    }

    func testCorruptGzip() throws {
        var gz = [UInt8](Data(base64Encoded: pythonGzip)!)
        gz[gz.count - 6] ^= 0xFF   // inside the CRC-32 trailer
        assertThrows(try IDX.parse(gz, name: "bad.gz"), contains: ["bad.gz", "corrupt"])
    }

    func testBadMagicNamesTheFile() throws {
        let dir = try tempDir()
        let path = dir + "/notes.txt"
        try Data("hello world".utf8).write(to: URL(fileURLWithPath: path))
        assertThrows(try IDX.read(path), contains: [path, "not an IDX file", "68 65 6c 6c"])
    }

    func testOtherErrors() {
        assertThrows(try IDX.parse([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0], name: "f"), contains: ["float", "not supported"])
        assertThrows(try IDX.parse([0, 0, 8, 2, 0, 0, 0, 2], name: "h"), contains: ["'h' is truncated", "2 dimensions"])
        assertThrows(try IDX.parse([0, 0, 8, 1, 0, 0, 0, 4, 1, 2], name: "d"), contains: ["'d' is truncated", "needs 4 data bytes", "has 2"])
        assertThrows(try IDX.parse([0, 0, 8, 1, 0, 0, 0, 1, 1, 2], name: "e"), contains: ["'e' is corrupt", "1 extra"])
        assertThrows(try IDX.parse([0, 0], name: "s"), contains: ["'s' is truncated"])
        assertThrows(try IDX.read("/nonexistent/x.gz"), contains: ["/nonexistent/x.gz", "no such file"])
    }
}
