import XCTest
import Foundation

/// Runs the built `mapl` executable as a user would and checks what it prints and its exit status.
final class CLITests: XCTestCase {
    /// The `mapl` binary next to this test bundle (SwiftPM builds it because this target depends on it).
    private var binary: URL {
        let bundle = Bundle(for: CLITests.self).bundleURL
        // On Linux the bundle URL is the products folder itself; elsewhere it is the .xctest inside it.
        let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return products.appendingPathComponent("mapl")
    }

    private func mapl(_ arguments: [String], stdin: String? = nil) throws -> (status: Int32, out: String, err: String) {
        let p = Process()
        p.executableURL = binary
        p.arguments = arguments
        let out = Pipe(), err = Pipe()
        p.standardOutput = out
        p.standardError = err
        try p.run()
        let o = out.fileHandleForReading.readDataToEndOfFile()
        let e = err.fileHandleForReading.readDataToEndOfFile()
        p.waitUntilExit()
        return (p.terminationStatus, String(decoding: o, as: UTF8.self), String(decoding: e, as: UTF8.self))
    }

    private func file(_ text: String) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("cli-\(UUID().uuidString).mapl").path
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    func testRunPrintsWhatTheFilePrintsAndExitsZero() throws {
        let path = try file("x = [[1, 2], [3, 4]]\nprint(x @ x)\nprint(item(sum(x)))\n")
        let r = try mapl(["run", path])
        XCTAssertEqual(r.status, 0, r.err)
        // [[1,2],[3,4]]² = [[7,10],[15,22]]; sum = 10
        XCTAssertTrue(r.out.contains("7") && r.out.contains("22"), r.out)
        XCTAssertTrue(r.out.hasSuffix("10\n"), r.out)
        XCTAssertEqual(r.err, "")
    }

    func testRuntimeErrorShowsFileLineColumnSourceAndCaret() throws {
        let path = try file("x = [[1, 2], [3, 4]]\nprint(\"before\")\ny = x @ [1, 2, 3]\nprint(\"never\")\n")
        let r = try mapl(["run", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.out, "before\n")
        let lines = r.err.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(lines[0], "\(path):3:5: error: shape [2, 2] cannot be multiplied by [3]: inner dimensions 2 and 3 differ")
        XCTAssertEqual(lines[1], "  y = x @ [1, 2, 3]")
        XCTAssertEqual(lines[2], "      ^~~~~~~~~~~~~")
    }

    func testSyntaxErrorIsPositionedAndNothingRuns() throws {
        let path = try file("print(\"a\")\nz = (1 + 2\n")
        let r = try mapl(["run", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.hasPrefix("\(path):"), r.err)
        XCTAssertTrue(r.err.contains("syntax error"), r.err)
    }

    func testFailedAssertStopsWithStatusOne() throws {
        let path = try file("assert(1 + 1 == 3, \"arithmetic\")\nprint(\"after\")\n")
        let r = try mapl(["run", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.out, "")
        XCTAssertTrue(r.err.contains("1:1") && r.err.contains("arithmetic"), r.err)
    }

    func testDashEEvaluatesCode() throws {
        let r = try mapl(["-e", "print(grad(x -> sum(x^2))([1, 2]))"])
        XCTAssertEqual(r.status, 0, r.err)
        XCTAssertTrue(r.out.contains("2") && r.out.contains("4"), r.out)
    }

    func testMissingFileIsAClearError() throws {
        let r = try mapl(["run", "/nonexistent/file.mapl"])
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.err.contains("cannot read '/nonexistent/file.mapl'"), r.err)
    }

    /// `--ascii` draws every picture in plain ASCII, wherever the flag stands.
    func testAsciiOutputHasNoCharacterBeyondASCII() throws {
        let path = try file("""
            m = flatten >> dense(4, 3)
            d = dataset(rand(20, 2, 2), [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1])
            summary(m)
            h = fit(m, d, epochs=2, batch=5)
            plot([h.loss, [1, 0/0]], labels=["loss", "other"])
            hist(randn(500))
            show(d, 3, model=m)
            heatmap(randn(30, 40))
            w = param([1.0, -2.0])
            L = sum(sigmoid(w * 3))
            backward(L)
            graph(L)
            trace(L)
            """)
        for arguments in [["run", "--ascii", path], ["run", path, "--ascii"], ["--ascii", "run", path]] {
            let r = try mapl(arguments)
            XCTAssertEqual(r.status, 0, r.err)
            let foreign = r.out.split(separator: "\n").filter { !$0.allSatisfy(\.isASCII) }
            XCTAssertEqual(foreign, [], "\(arguments)")
            XCTAssertTrue(r.out.contains("predicted"), r.out)
            XCTAssertTrue(r.out.contains("n = 500"), r.out)
        }
        // Without the flag, plots are braille.
        let plain = try mapl(["run", path])
        XCTAssertTrue(plain.out.unicodeScalars.contains { (0x2800...0x28FF).contains($0.value) })
    }
}
