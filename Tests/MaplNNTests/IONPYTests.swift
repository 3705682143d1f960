import XCTest
import MaplTestSupport
@testable import MaplNN

/// `.npy` files written by NumPy 2.4 (`np.save` into a BytesIO, base64-encoded here), read back and matched
/// by the writer byte for byte.
final class IONPYTests: XCTestCase {
    func fixture(_ base64: String) -> [UInt8] { [UInt8](Data(base64Encoded: base64)!) }

    /// np.save(np.arange(6, dtype=np.float32).reshape(2, 3) * 0.5 - 1)
    let f4 = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDMpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIC/AAAAvwAAAAAAAAA/AACAPwAAwD8="
    /// np.save(np.array([1, 2, 3], dtype=np.float32))
    let f4Vector = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQAAAQEA="
    /// np.save(np.float32(3.5))
    let f4Scalar = "k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKCksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAGBA"

    func testReadFloat32() throws {
        let t = try NPY.decode(fixture(f4))
        XCTAssertEqual(t.shape, [2, 3])
        XCTAssertEqual(t.scalars, [-1, -0.5, 0, 0.5, 1, 1.5])
        XCTAssertEqual(try NPY.decode(fixture(f4Vector)).shape, [3])
        let s = try NPY.decode(fixture(f4Scalar))
        XCTAssertEqual(s.shape, [])
        XCTAssertEqual(s.scalars, [3.5])
    }

    func testReadOtherTypes() throws {
        // np.save(np.array([1.5, -2.25, 1e-3]))  (float64); float32(1e-3) is 0.001 rounded.
        let f8 = try NPY.decode(fixture("k05VTVBZAQB2AHsnZGVzY3InOiAnPGY4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAD4PwAAAAAAAALA/Knx0k1iUD8="))
        XCTAssertEqual(f8.scalars, [1.5, -2.25, Float(0.001)])
        // np.save(np.array([[1, -2], [300, 4]], dtype=np.int64))
        let i8 = try NPY.decode(fixture("k05VTVBZAQB2AHsnZGVzY3InOiAnPGk4JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsIDIpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoBAAAAAAAAAP7/////////LAEAAAAAAAAEAAAAAAAAAA=="))
        XCTAssertEqual(i8.shape, [2, 2])
        XCTAssertEqual(i8.scalars, [1, -2, 300, 4])
        // np.save(np.array([0, 7, 255], dtype=np.uint8))
        let u1 = try NPY.decode(fixture("k05VTVBZAQB2AHsnZGVzY3InOiAnfHUxJywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDMsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAB/8="))
        XCTAssertEqual(u1.scalars, [0, 7, 255])
        // np.lib.format.write_array(f, np.array([1, 2], dtype=np.float32), version=(2, 0))
        let v2 = try NPY.decode(fixture("k05VTVBZAgB0AAAAeydkZXNjcic6ICc8ZjQnLCAnZm9ydHJhbl9vcmRlcic6IEZhbHNlLCAnc2hhcGUnOiAoMiwpLCB9ICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAIA/AAAAQA=="))
        XCTAssertEqual(v2.scalars, [1, 2])
    }

    /// Our writer reproduces np.save's bytes exactly (header text, padding to 64, data).
    func testWriterMatchesNumPy() throws {
        XCTAssertEqual(NPY.encode(try Tensor(shape: [2, 3], scalars: [-1, -0.5, 0, 0.5, 1, 1.5])), fixture(f4))
        XCTAssertEqual(NPY.encode(Tensor([1, 2, 3])), fixture(f4Vector))
        XCTAssertEqual(NPY.encode(Tensor(3.5)), fixture(f4Scalar))
    }

    func assertThrows(_ body: @autoclosure () throws -> Any, contains parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            let message = (error as? UserFacingError)?.message ?? "\(error)"
            for p in parts { XCTAssertTrue(message.contains(p), "'\(message)' should contain '\(p)'", file: file, line: line) }
        }
    }

    func testRejections() {
        // np.save(np.asfortranarray(np.arange(4, dtype=np.float32).reshape(2, 2)))
        assertThrows(try NPY.decode(fixture("k05VTVBZAQB2AHsnZGVzY3InOiAnPGY0JywgJ2ZvcnRyYW5fb3JkZXInOiBUcnVlLCAnc2hhcGUnOiAoMiwgMiksIH0gICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAoAAAAAAAAAQAAAgD8AAEBA"), name: "f.npy"),
                     contains: ["'f.npy'", "Fortran order"])
        // np.save(np.array([1, 2], dtype='>f4'))
        assertThrows(try NPY.decode(fixture("k05VTVBZAQB2AHsnZGVzY3InOiAnPmY0JywgJ2ZvcnRyYW5fb3JkZXInOiBGYWxzZSwgJ3NoYXBlJzogKDIsKSwgfSAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgIAo/gAAAQAAAAA=="), name: "b.npy"),
                     contains: ["'>f4'", "big-endian"])
        assertThrows(try NPY.decode(Array("PK\u{3}\u{4}not numpy".utf8), name: "z.npz"), contains: ["'z.npy'".replacingOccurrences(of: "npy", with: "npz"), "\\x93NUMPY"])
        var cut = fixture(f4)
        cut.removeLast(3)
        assertThrows(try NPY.decode(cut, name: "cut.npy"), contains: ["needs 24 data bytes", "has 21"])
        var badHeader = fixture(f4)
        badHeader[12] = UInt8(ascii: "x")   // 'descr' → 'xescr'
        assertThrows(try NPY.decode(badHeader, name: "h.npy"), contains: ["malformed header", "unknown key 'xescr'"])
    }

    func testFileRoundTrip() throws {
        let path = NSTemporaryDirectory() + "npy-\(UUID().uuidString).npy"
        defer { try? FileManager.default.removeItem(atPath: path) }
        let t = try Tensor(shape: [2, 1, 2], scalars: [1, -2, .pi, 1e-30])
        try NPY.write(t, to: path)
        XCTAssertEqual(try NPY.read(path), t)
    }

    /// Cross-check with the real numpy.load (NumPy from .ci/deps' environment; skipped without it, failed under CI).
    func testNumPyLoadsWhatWeWrite() throws {
        let path = NSTemporaryDirectory() + "npy-\(UUID().uuidString).npy"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try NPY.write(try Tensor(shape: [3, 2], scalars: [0.25, -1, 2, 3, 4, 5.5]), to: path)
        let script = "import numpy as np; a = np.load('\(path)'); print(a.dtype, a.shape, a.sum())"
        XCTAssertEqual(try NumPy.run(script).trimmingCharacters(in: .whitespacesAndNewlines), "float32 (3, 2) 13.75")
    }
}
