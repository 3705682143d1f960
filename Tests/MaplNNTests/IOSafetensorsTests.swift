import XCTest
@testable import MaplNN

/// safetensors files built byte by byte from the spec, and ones made by the Python `safetensors` library.
final class IOSafetensorsTests: XCTestCase {
    /// `[8-byte LE length][header][buffer]` with `header` padded to a multiple of 8 with spaces.
    func file(_ header: String, _ buffer: [UInt8]) -> [UInt8] {
        var h = Array(header.utf8)
        while h.count % 8 != 0 { h.append(0x20) }
        let n = UInt64(h.count)
        return (0..<8).map { UInt8(truncatingIfNeeded: n >> (8 * $0)) } + h + buffer
    }
    func le32(_ f: Float) -> [UInt8] { let b = f.bitPattern; return (0..<4).map { UInt8(truncatingIfNeeded: b >> (8 * $0)) } }
    func le64(_ d: Double) -> [UInt8] { let b = d.bitPattern; return (0..<8).map { UInt8(truncatingIfNeeded: b >> (8 * $0)) } }

    func testHandBuiltFile() throws {
        // "b" comes first in the buffer though it is listed second; F64 and BF16 are converted.
        let header = #"{"a":{"dtype":"F32","shape":[2,2],"data_offsets":[8,24]},"b":{"dtype":"F64","shape":[1],"data_offsets":[0,8]},"c":{"dtype":"BF16","shape":[2],"data_offsets":[24,28]},"__metadata__":{"who":"hand"}}"#
        // bf16 0x3FC0 = 1.5, 0xC040 = -3.0 (the top halves of the float32 bit patterns).
        let buffer = le64(-0.75) + [1, 2, 3, 4].flatMap { le32(Float($0)) } + [0xC0, 0x3F, 0x40, 0xC0]
        let (tensors, metadata) = try Safetensors.decode(file(header, buffer), name: "hand.safetensors")
        XCTAssertEqual(tensors.map(\.name), ["b", "a", "c"])
        XCTAssertEqual(tensors[0].tensor, Tensor([-0.75]))
        XCTAssertEqual(tensors[1].tensor, try Tensor(shape: [2, 2], scalars: [1, 2, 3, 4]))
        XCTAssertEqual(tensors[2].tensor.scalars, [1.5, -3])
        XCTAssertEqual(metadata, ["who": "hand"])
    }

    /// safetensors.numpy.save({"weight": [[1,-2,.5],[3.25,0,-.125]], "bias": [.1,-.2], "s": 7.0} (float32),
    /// metadata={"format": "mapl"}), base64-encoded.
    let pythonF32 = "0AAAAAAAAAB7Il9fbWV0YWRhdGFfXyI6eyJmb3JtYXQiOiJtYXBsIn0sImJpYXMiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOlswLDhdfSwicyI6eyJkdHlwZSI6IkYzMiIsInNoYXBlIjpbXSwiZGF0YV9vZmZzZXRzIjpbOCwxMl19LCJ3ZWlnaHQiOnsiZHR5cGUiOiJGMzIiLCJzaGFwZSI6WzIsM10sImRhdGFfb2Zmc2V0cyI6WzEyLDM2XX19ICAgzczMPc3MTL4AAOBAAACAPwAAAMAAAAA/AABQQAAAAAAAAAC+"

    func testReadPythonFile() throws {
        let (tensors, metadata) = try Safetensors.decode([UInt8](Data(base64Encoded: pythonF32)!))
        XCTAssertEqual(tensors.map(\.name), ["bias", "s", "weight"])
        XCTAssertEqual(tensors[0].tensor, Tensor([0.1, -0.2]))
        XCTAssertEqual(tensors[1].tensor, Tensor(7))
        XCTAssertEqual(tensors[2].tensor, try Tensor(shape: [2, 3], scalars: [1, -2, 0.5, 3.25, 0, -0.125]))
        XCTAssertEqual(metadata, ["format": "mapl"])
    }

    /// Our writer lays the file out exactly as the Python library does (sorted names, compact JSON,
    /// metadata first, spaces to a multiple of 8).
    func testWriterMatchesPythonLibrary() throws {
        let bytes = try Safetensors.encode([
            ("weight", try Tensor(shape: [2, 3], scalars: [1, -2, 0.5, 3.25, 0, -0.125])),
            ("s", Tensor(7)),
            ("bias", Tensor([0.1, -0.2])),
        ], metadata: ["format": "mapl"])
        XCTAssertEqual(bytes, [UInt8](Data(base64Encoded: pythonF32)!))
    }

    /// safetensors.numpy.save({"h": float16 [1, -2.5, 65504, 6.1035156e-05, 5.96e-08], "d": float64 [[1.5], [-1e-3]],
    /// "i": int64 [-3, 2**40], "j": int32 [7, -8]}); float16 values as numpy's astype(float32) prints them.
    func testReadPythonMixedDtypes() throws {
        let b64 = "4AAAAAAAAAB7ImkiOnsiZHR5cGUiOiJJNjQiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOlswLDE2XX0sImQiOnsiZHR5cGUiOiJGNjQiLCJzaGFwZSI6WzIsMV0sImRhdGFfb2Zmc2V0cyI6WzE2LDMyXX0sImoiOnsiZHR5cGUiOiJJMzIiLCJzaGFwZSI6WzJdLCJkYXRhX29mZnNldHMiOlszMiw0MF19LCJoIjp7ImR0eXBlIjoiRjE2Iiwic2hhcGUiOls1XSwiZGF0YV9vZmZzZXRzIjpbNDAsNTBdfX0gIP3/////////AAAAAAABAAAAAAAAAAD4P/yp8dJNYlC/BwAAAPj///8APADB/3sABAEA"
        let tensors = Dictionary(uniqueKeysWithValues: try Safetensors.decode([UInt8](Data(base64Encoded: b64)!)).tensors.map { ($0.name, $0.tensor) })
        XCTAssertEqual(tensors["h"]?.scalars, [1, -2.5, 65504, 6.103515625e-05, 5.960464477539063e-08])
        XCTAssertEqual(tensors["d"], try Tensor(shape: [2, 1], scalars: [1.5, Float(-0.001)]))
        XCTAssertEqual(tensors["i"]?.scalars, [-3, 1.0995116e+12])
        XCTAssertEqual(tensors["j"]?.scalars, [7, -8])
    }

    func testFileRoundTripWithDictionary() throws {
        let path = NSTemporaryDirectory() + "st-\(UUID().uuidString).safetensors"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Safetensors.write(["layer.0.w": try Tensor(shape: [1, 2], scalars: [1, 2]), "layer.0.b": Tensor([3])], to: path)
        let back = try Safetensors.read(path)
        XCTAssertEqual(back.map(\.name), ["layer.0.b", "layer.0.w"])
        XCTAssertEqual(back[1].tensor, try Tensor(shape: [1, 2], scalars: [1, 2]))
        XCTAssertEqual(try Safetensors.readWithMetadata(path).metadata, [:])
    }

    func assertRejects(_ bytes: [UInt8], _ parts: [String], file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try Safetensors.decode(bytes, name: "w.safetensors"), file: file, line: line) { error in
            let message = (error as? UserFacingError)?.message ?? "\(error)"
            XCTAssertTrue(message.contains("'w.safetensors'"), message, file: file, line: line)
            for p in parts { XCTAssertTrue(message.contains(p), "'\(message)' should contain '\(p)'", file: file, line: line) }
        }
    }

    func testRejectsBadFiles() {
        let eight = [UInt8](repeating: 0, count: 8)
        assertRejects(file(#"{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]}}"#, eight),
                      ["'a'", "'b'", "overlap"])
        assertRejects(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#, eight), ["outside the 8-byte buffer"])
        assertRejects(file(#"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, eight), ["needs 12 bytes", "span 8"])
        assertRejects(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}"#, eight), ["JSON"])
        assertRejects(file(#"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, eight), ["duplicate key"])
        assertRejects(file(#"{"a":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#, eight), ["dtype C64"])
        assertRejects(file(#"{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}"#, eight), ["shape entry"])
        assertRejects(file(#"{"a":{"dtype":"F32","shape":[2]}}"#, eight), ["data_offsets"])
        assertRejects(file(#"["a"]"#, eight), ["does not start with '{'"])
        assertRejects([0xFF, 0xFF, 0, 0, 0, 0, 0, 0, 0x7B, 0x7D], ["header length 65535 runs past the end"])
        assertRejects([1, 2, 3], ["fewer than the 8-byte header length"])
    }

    func testWriterRejectsBadNames() {
        XCTAssertThrowsError(try Safetensors.encode([("w", Tensor([1])), ("w", Tensor([2]))])) { error in
            XCTAssertTrue("\(error)".contains("'w' is used twice"))
        }
        XCTAssertThrowsError(try Safetensors.encode([("__metadata__", Tensor([1]))]))
    }
}
