import XCTest
import Foundation
@testable import MaplLang

/// Source text from files and in reports: reading (`SourceFile`), line breaks, and how a report shows a line
/// holding tabs, invisible or wide characters.
final class SourceTextTests: XCTestCase {
    private func temporary(_ bytes: [UInt8], suffix: String = ".mapl") throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("src-\(UUID().uuidString)\(suffix)").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        addTeardownBlock { try? FileManager.default.removeItem(atPath: path) }
        return path
    }

    private func readError(_ path: String) -> String {
        do { _ = try SourceFile.read(path); return "read without an error" } catch { return "\(error)" }
    }

    func testMissingFileAndDirectoryAreNamed() throws {
        XCTAssertEqual(readError("/nonexistent/x.mapl"), "cannot read '/nonexistent/x.mapl': no such file")
        XCTAssertEqual(readError(NSTemporaryDirectory()), "cannot read '\(NSTemporaryDirectory())': is a directory")
        let file = try temporary(Array("x = 1\n".utf8))
        XCTAssertEqual(readError(file + "/inner.mapl"), "cannot read '\(file)/inner.mapl': a part of the path is not a directory")
        if getuid() != 0 {   // root reads any file, so permission can only be denied to others
            chmod(file, 0)
            XCTAssertEqual(readError(file), "cannot read '\(file)': permission denied")
        }
    }

    /// A device that never ends (or a huge data file given by mistake) stops at the limit instead of filling memory.
    func testEndlessFileStopsAtTheLimit() throws {
        XCTAssertEqual(readError("/dev/zero"), "cannot read '/dev/zero': it is larger than 64 MiB")
    }

    /// A Latin-1 byte in a comment: the position counts characters (日本語 is three), and the byte is shown.
    func testInvalidUTF8IsPositioned() throws {
        let bytes = Array("a = 1\nb = 2\n# 日本語 ".utf8) + [0xB7] + Array(" x\n".utf8)
        let path = try temporary(bytes)
        XCTAssertEqual(readError(path), "cannot read '\(path)': invalid UTF-8 at line 3, column 7 (byte 0xB7); save the file as UTF-8")
        // After CRLF line ends; a lone lead byte (0xE9, 'é' in Latin-1) followed by ASCII.
        XCTAssertThrowsError(try SourceFile.decode(Array("x = 1\r\ny = \"caf".utf8) + [0xE9] + Array("\"".utf8), path: "f")) {
            XCTAssertEqual("\($0)", "cannot read 'f': invalid UTF-8 at line 2, column 9 (byte 0xE9); save the file as UTF-8")
            XCTAssertEqual(($0 as? SourceFile.ReadError)?.location?.description, "2:9")
        }
        // A truncated sequence at the very end.
        XCTAssertThrowsError(try SourceFile.decode([0x61, 0xE2, 0x82], path: "f")) {
            XCTAssertEqual("\($0)", "cannot read 'f': invalid UTF-8 at line 1, column 2 (byte 0xE2); save the file as UTF-8")
        }
    }

    func testByteOrderMarkIsDropped() throws {
        XCTAssertEqual(try SourceFile.read(try temporary([0xEF, 0xBB, 0xBF] + Array("x = 1\n".utf8))), "x = 1\n")
        XCTAssertEqual(try SourceFile.decode([], path: "empty"), "")
    }

    func testRunBuiltinReportsWhyItCannotRead() throws {
        let s = Session()
        let e = s.error("x = 1\nrun(\"/nonexistent/lib.mapl\")")
        XCTAssertEqual(e?.message, "run(): cannot read '/nonexistent/lib.mapl': no such file")
        XCTAssertEqual(e?.range.start.description, "2:5")
        let bad = try temporary(Array("x = 2 # ".utf8) + [0xFF] + Array("\n".utf8))
        XCTAssertEqual(s.error("run(\"\(bad)\")")?.message, "run(): cannot read '\(bad)': invalid UTF-8 at line 1, column 9 (byte 0xFF); save the file as UTF-8")
        XCTAssertEqual(s.number("x"), 1, "the session keeps its state")
        let good = try temporary([0xEF, 0xBB, 0xBF] + Array("y = 3\r\nz = y * 2\r\n".utf8))
        try s.run("run(\"\(good)\")")
        XCTAssertEqual(s.number("z"), 6)
    }

    // MARK: Line breaks

    /// "\r\n" is one Character in Swift: splitting on "\n" alone found one line and dropped the echo.
    func testReportShowsTheLineOfACRLFFile() throws {
        let source = "x = [[1, 2], [3, 4]]\r\ny = x @ [1, 2, 3]\r\nprint(y)\r\n"
        let e = Session().error(source)
        XCTAssertEqual(e?.render(source: source, file: "f.mapl"), """
            f.mapl:2:5: error: shape [2, 2] cannot be multiplied by [3]: inner dimensions 2 and 3 differ
              y = x @ [1, 2, 3]
                  ^~~~~~~~~~~~~
            """)
    }

    /// A lone "\r" (old Mac files) ends a line for the scanner as it does for line numbers.
    func testLoneCarriageReturnEndsAStatement() throws {
        let s = Session()
        try s.run("x = 1\ry = x + 1\rprint(y)")
        XCTAssertEqual(s.printed, ["2"])
        let e = s.error("a = 1\rb = a @ 2")
        XCTAssertEqual(e?.range.start.description, "2:5")
        XCTAssertEqual(e?.render(source: "a = 1\rb = a @ 2").split(separator: "\n").dropFirst().first, "  b = a @ 2")
    }

    // MARK: Invisible, look-alike and wide characters

    func testInvisibleCharacterIsShownAndNamed() throws {
        let source = "x = 1\u{0} + 2"
        let e = Session().error(source)
        XCTAssertEqual(e?.render(source: source), """
            1:6: syntax error: unexpected invisible character (U+0000 NUL); delete it
              x = 1\u{FFFD} + 2
                   ^
            """)
        let zwsp = "total\u{200B} = 1"
        XCTAssertEqual(Session().error(zwsp)?.render(source: zwsp), """
            1:6: syntax error: unexpected invisible character (U+200B ZERO WIDTH SPACE); delete it
              total\u{FFFD} = 1
                   ^
            """)
    }

    /// Wide characters take two terminal columns: the caret moves past those before the fault and underlines
    /// both cells of a wide one.
    func testCaretAccountsForWideCharacters() throws {
        let source = "s = \"你好\"（1）"
        XCTAssertEqual(Session().error(source)?.render(source: source), """
            1:9: syntax error: unexpected character '（' (U+FF08 FULLWIDTH LEFT PARENTHESIS); use '(' instead
              s = "你好"（1）
                        ^~
            """)
    }
}
