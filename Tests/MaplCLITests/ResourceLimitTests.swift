import XCTest
import Foundation

/// The built `mapl` under a shell's resource limits, as a user's session might run (`ulimit -v`, `ulimit -f`):
/// what used to end the process with a signal must be an error with exit status 1.
final class ResourceLimitTests: XCTestCase {
    /// The `mapl` binary next to this test bundle.
    private var binary: URL {
        let bundle = Bundle(for: ResourceLimitTests.self).bundleURL
        let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return products.appendingPathComponent("mapl")
    }

    private func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("limits-\(UUID().uuidString).mapl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    /// `mapl` under a shell's limits (`ulimit -v 4000000` and the like), as a user's session might run.
    private func limited(_ limits: String, _ arguments: [String]) throws -> (status: Int32, reason: Process.TerminationReason, out: String, err: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "\(limits); exec \"$0\" \"$@\"", binary.path] + arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, p.terminationReason, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    /// The allocation cases of issue 13 under a 4 GB address-space limit: each is a positioned error (exit 1,
    /// not a signal, no "Fatal error"). That the session then goes on is checked in-process (FuzzTests, under
    /// setrlimit).
    func testAllocationsUnderAnAddressSpaceLimitAreErrors() throws {
        let cases = [
            "zeros(2^30)",
            "randn(40000, 40000)",
            "x = ones(30000)\ny = reshape(x, 30000, 1) * reshape(x, 1, 30000)",
            "x = ones(1, 100000)\ny = x.T @ x",
            "x = ones(100000000)\nfor i in 0..10 { x = concat([x, x]) }",
            "s = \"ab\"\nfor i in 0..40 { s = s + s }",
            "L = [\"a\"]\nfor i in 0..40 { L = L + L }",
            "attention(4)(zeros(1, 100000, 4))",
            "layernorm(2^34)",
            "conv2d(1, 1, 3, pad=2^30)(zeros(1, 1, 4, 4))",
            "spirals(2^28, 3)",
        ]
        for program in cases {
            let session = try self.file("print(\"start\")\n" + program + "\n")
            let r = try limited("ulimit -v 4000000", ["run", session])
            XCTAssertEqual(r.reason, .exit, "\(program): killed by signal \(r.status)")
            XCTAssertEqual(r.status, 1, "\(program): \(r.err)")
            XCTAssertTrue(r.err.hasPrefix(session + ":") && r.err.contains(": error: "), "\(program): \(r.err)")
            XCTAssertFalse(r.err.contains("Fatal error"), "\(program): \(r.err)")
            XCTAssertEqual(r.out, "start\n", program)
        }
    }

    /// A save killed by SIGXFSZ used to end the process and leave its temporary file: now it is an error
    /// naming the limit, and the folder holds no temporary file.
    func testSaveBeyondTheFileSizeLimitIsAnError() throws {
        let folder = NSTemporaryDirectory() + "fsize-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let session = try self.file("m = dense(100, 100)\nsave(m, \"\(folder)/w.safetensors\")\n")
        let r = try limited("ulimit -f 8", ["run", session])
        XCTAssertEqual(r.reason, .exit, "killed by signal \(r.status)")
        XCTAssertEqual(r.status, 1, r.err)
        XCTAssertTrue(r.err.contains("size limit for files"), r.err)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), [])
    }
}
