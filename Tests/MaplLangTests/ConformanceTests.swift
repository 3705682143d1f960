import XCTest
import Foundation
@testable import MaplLang
import MaplNN

/// Runs every program in Conformance/ — one per section of LANGUAGE.md, each a list of `assert`s whose
/// expected values were worked out by hand or with NumPy — and fails with the rendered error when one
/// fails. Lines starting with `#>` are the output the program must print, in order.
final class ConformanceTests: XCTestCase {
    static var folder: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Conformance") }

    static func programs() throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "mapl" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }

    func testEveryConformanceProgramPasses() throws {
        let files = try ConformanceTests.programs()
        XCTAssertGreaterThanOrEqual(files.count, 13, "one program per section")
        for file in files {
            let source = try String(contentsOf: file, encoding: .utf8)
            let s = ParsedSession()
            do {
                try s.run(source)
            } catch let e as MaplError {
                XCTFail(e.render(source: source, file: file.lastPathComponent))
                continue
            }
            let wanted = source.split(separator: "\n", omittingEmptySubsequences: false)
                .filter { $0.hasPrefix("#>") }
                .map { line -> String in
                    let rest = line.dropFirst(2)
                    return String(rest.hasPrefix(" ") ? rest.dropFirst() : rest)
                }
            // Programs that state their output with `#>` lines must print exactly that; the others (fit's
            // progress lines carry timings) are checked by their asserts alone.
            if !wanted.isEmpty { XCTAssertEqual(s.printed, wanted, "output of \(file.lastPathComponent)") }
        }
    }

    /// The runner itself: a failing assert is reported with its position and message.
    func testAFailingAssertIsReported() throws {
        let s = ParsedSession()
        let e = s.error("x = 1\nassert(x == 2, \"x should be two\")")
        XCTAssertEqual(e?.kind, .assertion)
        XCTAssertEqual(e?.message, "x should be two")
        XCTAssertEqual(e?.range.start.line, 2)
        // NaN is a value, but an assert on it fails (nan != 0 is true; nan == nan is false).
        XCTAssertEqual(s.error("n = sqrt(-1)\nassert(n == n)")?.kind, .assertion)
        XCTAssertEqual(s.error("assert([1, 2] == [1, 3])")?.kind, .assertion)
    }

    /// § Errors: an error names line and column, shows the line with a caret, and never loses the session.
    func testAnErrorNeverLosesTheSession() throws {
        let s = ParsedSession()
        try s.run("a = 1\nW = param([1, 2])")
        let source = "b = 2\nc = zeros(64, 784) @ zeros(128, 10)\nd = 3"
        let e = try XCTUnwrap(s.error(source))
        XCTAssertEqual(e.range.start.line, 2)
        XCTAssertEqual(e.range.start.column, 5)
        XCTAssertTrue(e.message.contains("[64, 784]") && e.message.contains("[128, 10]"), e.message)
        let rendered = e.render(source: source, file: "f.mapl").split(separator: "\n")
        XCTAssertTrue(rendered[0].hasPrefix("f.mapl:2:5: error: "), String(rendered[0]))
        XCTAssertEqual(rendered[1], "  c = zeros(64, 784) @ zeros(128, 10)")
        XCTAssertTrue(rendered[2].hasPrefix("      ^~~"), String(rendered[2]))
        // State before the error is kept (b ran); the statement after it did not.
        try s.run("assert(a == 1 and b == 2 and W == [1, 2])")
        XCTAssertNil(s.interpreter.lookup("d"))
    }
}
