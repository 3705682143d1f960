import XCTest
@testable import MaplKernel

/// The kernel's wire format from the inside: JSON read and written at its boundaries, HMAC-SHA256 against
/// RFC 4231's published vectors, and frames refused for every way a message can be wrong.
final class WireTests: XCTestCase {
    func testSignatureMatchesRFC4231() {
        // RFC 4231, test case 2: key "Jefe", data "what do ya want for nothing?".
        let signer = Signer(key: Array("Jefe".utf8))
        let signature = signer.signature([Array("what do ya want ".utf8), Array("for nothing?".utf8)])
        XCTAssertEqual(String(decoding: signature, as: UTF8.self), "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
        XCTAssertTrue(signer.verify(signature, [Array("what do ya want for nothing?".utf8)]))
        XCTAssertFalse(signer.verify(signature, [Array("what do ya want for nothing!".utf8)]))
        XCTAssertFalse(signer.verify([], [Array("what do ya want for nothing?".utf8)]))
        XCTAssertFalse(signer.verify(Array(signature.dropLast()), [Array("what do ya want for nothing?".utf8)]))
    }

    func testEmptyKeyTurnsSigningOff() {
        let signer = Signer(key: [])
        XCTAssertEqual(signer.signature([[1, 2, 3]]), [])
        XCTAssertTrue(signer.verify(Array("anything".utf8), [[1, 2, 3]]))
    }

    func testJSONBoundaryValues() throws {
        XCTAssertEqual(try JSON(parsing: "9223372036854775807"), .int(Int.max))
        // 2^63 does not fit an Int: it is read as the double it is, not wrapped.
        XCTAssertEqual(try JSON(parsing: "9223372036854775808"), .double(9223372036854775808.0))
        XCTAssertEqual(try JSON(parsing: "-0"), .int(0))
        XCTAssertEqual(try JSON(parsing: "1e308"), .double(1e308))
        XCTAssertEqual(try JSON(parsing: "1e400"), .double(.infinity))
        XCTAssertEqual(JSON.double(.nan).text, "null")
        XCTAssertEqual(JSON.double(-.infinity).text, "null")
        XCTAssertEqual(JSON.double(9007199254740992).int, 9007199254740992)
        XCTAssertNil(JSON.double(1e300).int)
        XCTAssertNil(JSON.double(.nan).int)
        for bad in ["", "nul", "[1,", "{\"a\" 1}", "01x", "01", "1.", ".5", "1e", "--1", "\"\\x\"", "[1] 2", "\"a\nb\"", "+1", "-", "{1: 2}"] {
            XCTAssertThrowsError(try JSON(parsing: bad), bad.debugDescription)
        }
    }

    func testJSONDeepNestingIsAnErrorNotACrash() {
        let deep = String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000)
        XCTAssertThrowsError(try JSON(parsing: deep)) { error in
            XCTAssertTrue("\(error)".contains("nested deeper than \(JSON.maxDepth)"), "\(error)")
        }
    }

    func testJSONStringsRoundTrip() throws {
        let text = "quote \" backslash \\ newline \n tab \t bell \u{07} del \u{7F} é 🚀 ∂L/∂z"
        XCTAssertEqual(try JSON(parsing: JSON.string(text).serialized), .string(text))
        // A surrogate pair in an escape is one scalar; a lone surrogate and invalid UTF-8 are not JSON (RFC 8259):
        // an error naming the byte, so the message is refused, never read as invalid text.
        XCTAssertEqual(try JSON(parsing: "\"\\ud83d\\ude80\""), .string("🚀"))
        XCTAssertThrowsError(try JSON(parsing: "\"\\ud800x\"")) { XCTAssertTrue("\($0)".contains("surrogate"), "\($0)") }
        XCTAssertThrowsError(try JSON(parsing: [0x22, 0xFF, 0x61, 0x22])) { XCTAssertTrue("\($0)".contains("UTF-8"), "\($0)") }
    }

    func testMessageRoundTripsThroughFrames() throws {
        let signer = Signer(key: Array("secret".utf8))
        var message = Message(type: "execute_request", content: ["code": "1 + 1", "silent": false], parent: nil, session: "s1")
        message.identities = [[0, 1, 2], Array("peer".utf8)]
        let frames = Wire.encode(message, signer: signer)
        XCTAssertEqual(frames[2], Array("<IDS|MSG>".utf8))
        let back = try Wire.decode(frames, signer: signer)
        XCTAssertEqual(back.identities, message.identities)
        XCTAssertEqual(back.type, "execute_request")
        XCTAssertEqual(back.content, message.content)
        XCTAssertEqual(back.header, message.header)
    }

    func testRefusedFrames() {
        let signer = Signer(key: Array("secret".utf8))
        let message = Message(type: "kernel_info_request", content: [:], parent: nil, session: "s1")
        let good = Wire.encode(message, signer: signer)
        func refusal(_ frames: [[UInt8]]) -> Wire.Refusal? {
            do { _ = try Wire.decode(frames, signer: signer); return nil } catch { return error }
        }
        XCTAssertEqual(refusal([]), .noDelimiter)
        XCTAssertEqual(refusal([Array("junk".utf8)]), .noDelimiter)
        XCTAssertEqual(refusal(Array(good.prefix(4))), .tooFewFrames(3))
        var unsigned = good
        unsigned[1] = []
        XCTAssertEqual(refusal(unsigned), .badSignature)
        var forged = good
        forged[4] = Array("{\"msg_type\":\"execute_request\"}".utf8)
        XCTAssertEqual(refusal(forged), .badSignature)
        // Signed but not JSON objects: refused after the signature is checked.
        for (index, part) in [(2, "[1]"), (5, "{"), (2, "{}")] {
            var frames = good
            frames[index] = Array(part.utf8)
            frames[1] = signer.signature(Array(frames[2..<6]))
            guard case .malformed? = refusal(frames) else { return XCTFail("\(part) at \(index) was not refused as malformed") }
        }
    }

    func testConnectionFile() throws {
        let json: JSON = ["transport": "tcp", "ip": "127.0.0.1", "shell_port": 5001, "control_port": 5002, "iopub_port": 5003,
                          "stdin_port": 5004, "hb_port": 5005, "key": "abc", "signature_scheme": "hmac-sha256"]
        let c = try ConnectionFile(json: json)
        XCTAssertEqual(c.address(c.shellPort), "tcp://127.0.0.1:5001")
        XCTAssertEqual(c.key, Array("abc".utf8))
        guard case .object(var o) = json else { return XCTFail() }
        for port in [0, -1, 65536, Int.max] {
            o["hb_port"] = .int(port)
            XCTAssertThrowsError(try ConnectionFile(json: .object(o)), "port \(port)")
        }
        o["hb_port"] = 5005
        o["signature_scheme"] = "hmac-md5"
        XCTAssertThrowsError(try ConnectionFile(json: .object(o)))
    }
}
