import XCTest
@testable import MaplNN

/// SHA-256 against the FIPS 180-2 test vectors (also what `hashlib.sha256(...).hexdigest()` prints).
final class IOSHA256Tests: XCTestCase {
    func testStandardVectors() throws {
        XCTAssertEqual(try SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        XCTAssertEqual(try SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        XCTAssertEqual(try SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)),
                       "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testMillionAs() throws {
        XCTAssertEqual(try SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
                       "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    /// Feeding the message in uneven pieces (crossing block boundaries) gives the same digest.
    func testIncrementalUpdates() throws {
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        let h = try SHA256()
        var at = 0
        for piece in [1, 7, 0, 63, 5] where at < message.count {
            let end = min(at + piece, message.count)
            try h.update(Array(message[at..<end]))
            at = end
        }
        try h.update(Array(message[at...]))
        let hex = try h.finalize().map { String(format: "%02x", $0) }.joined()
        XCTAssertEqual(hex, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    /// 55 and 56 bytes straddle the padding boundary (python3 hashlib values).
    func testPaddingBoundaries() throws {
        XCTAssertEqual(try SHA256.hex([UInt8](repeating: 0x61, count: 55)), "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318")
        XCTAssertEqual(try SHA256.hex([UInt8](repeating: 0x61, count: 56)), "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a")
        XCTAssertEqual(try SHA256.hex([UInt8](repeating: 0x61, count: 64)), "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb")
    }

    /// The size of MNIST's training images (47 MB): hashlib.sha256(bytes(range(256)) * 183750).hexdigest().
    func testMNISTSizedInput() throws {
        var bytes = [UInt8](repeating: 0, count: 256 * 183_750)
        for i in bytes.indices { bytes[i] = UInt8(truncatingIfNeeded: i) }
        XCTAssertEqual(try SHA256.hex(bytes), "33974b12e90f7a0b1c8ac7f2c5d634cc8cc69544c52a66b476b64a1aed157318")
    }

    /// A spent state says so instead of hashing on from garbage.
    func testSpentStateIsAnError() throws {
        let h = try SHA256()
        try h.update(Array("abc".utf8))
        _ = try h.finalize()
        XCTAssertThrowsError(try h.update([1])) { XCTAssertEqual("\($0)", "SHA-256: update after finalize") }
        XCTAssertThrowsError(try h.finalize()) { XCTAssertEqual("\($0)", "SHA-256: finalize called twice") }
    }
}
