import XCTest
import Foundation
@testable import MaplLang
import MaplNN

/// The bad-input corpus: every file in BadInput/ starts with `# expect LINE:COLUMN fragment`. Each must fail
/// with a MaplError at that position whose message contains the fragment, and the rendered report must show
/// the offending line with a caret under the column. A file that is not valid UTF-8 must instead fail to read
/// (`SourceFile.read`, as `mapl run` reads it) at that position.
final class BadInputTests: XCTestCase {
    struct Expectation { let line: Int; let column: Int; let fragment: String }

    static var folder: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("BadInput") }

    static func expectation(_ source: String) -> Expectation? {
        guard let first = MaplError.lines(of: source).first, first.hasPrefix("# expect ") else { return nil }
        let rest = first.dropFirst("# expect ".count)
        guard let space = rest.firstIndex(of: " ") else { return nil }
        let position = rest[..<space].split(separator: ":").compactMap { Int($0) }
        guard position.count == 2 else { return nil }
        return Expectation(line: position[0], column: position[1], fragment: String(rest[rest.index(after: space)...]))
    }

    /// Parses and runs; the MaplError raised, or nil when the program ran.
    static func failure(of source: String) throws -> MaplError? {
        let interpreter = Interpreter()
        interpreter.output = { _ in }
        do {
            let program = try Interpreter.runOnLargeStack { try Parser.parse(source) }
            try interpreter.run(program)
            return nil
        } catch let e as MaplError {
            return e
        }
    }

    func testEveryBadInputFailsWhereItsHeaderSays() throws {
        let files = try FileManager.default.contentsOfDirectory(at: BadInputTests.folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "mapl" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
        XCTAssertGreaterThanOrEqual(files.count, 40)
        for file in files {
            let name = file.lastPathComponent
            // Read as `mapl run` reads it; a file that is not UTF-8 fails there, at the position the header says.
            let source: String
            do { source = try SourceFile.read(file.path) } catch let e as SourceFile.ReadError {
                let header = String(decoding: try Data(contentsOf: file), as: UTF8.self)
                guard let want = BadInputTests.expectation(header) else { XCTFail("\(name): no '# expect L:C fragment' header"); continue }
                XCTAssertEqual(e.location?.description, "\(want.line):\(want.column)", "\(name): \(e)")
                XCTAssertTrue(e.description.contains(want.fragment), "\(name): '\(e)' lacks '\(want.fragment)'")
                continue
            }
            guard let want = BadInputTests.expectation(source) else { XCTFail("\(name): no '# expect L:C fragment' header"); continue }
            let error: MaplError?
            do { error = try BadInputTests.failure(of: source) } catch { XCTFail("\(name): threw \(type(of: error)) \(error), not a MaplError"); continue }
            guard let e = error else { XCTFail("\(name): ran without an error"); continue }
            let got = "\(e.range.start.line):\(e.range.start.column)"
            XCTAssertEqual(got, "\(want.line):\(want.column)", "\(name): \(e)")
            XCTAssertTrue(e.message.contains(want.fragment), "\(name): '\(e.message)' lacks '\(want.fragment)'")
            // The report shows the line and a caret under the column (tabs count as one column).
            let report = e.render(source: source, file: name).split(separator: "\n", omittingEmptySubsequences: false)
            XCTAssertTrue(report.first?.hasPrefix("\(name):\(got): ") ?? false, "\(name): \(report.first ?? "")")
            let lines = MaplError.lines(of: source)
            if e.range.start.line - 1 < lines.count {
                XCTAssertEqual(report.count, 3, "\(name): \(report)")
                if report.count == 3 {
                    let line = lines[e.range.start.line - 1]
                    let caret = report[2].firstIndex(of: "^").map { report[2].distance(from: report[2].startIndex, to: $0) }
                    if line.count <= MaplError.shownLine {
                        XCTAssertEqual(String(report[1]), "  " + MaplError.displayLine(line), name)
                        // The caret is under the column on a terminal: wide characters before it take two cells.
                        let before = line.prefix(e.range.start.column - 1).reduce(0) { $0 + DisplayWidth.of($1) }
                        XCTAssertEqual(caret, 2 + before, "\(name): caret")
                    } else {
                        // A long line is shown as a window (… on cut sides) with the caret under the same character.
                        XCTAssertLessThanOrEqual(report[1].count, 2 + MaplError.shownLine + 2, name)
                        let shown = Array(report[1]), source = Array(MaplError.displayLine(line))
                        if let caret, caret < shown.count, e.range.start.column - 1 < source.count {
                            XCTAssertEqual(shown[caret], source[e.range.start.column - 1], "\(name): caret")
                        } else { XCTFail("\(name): caret \(String(describing: caret)) outside the shown line") }
                    }
                }
            }
        }
    }
}
