import XCTest
@testable import MaplNotebook

final class ScreenGridTests: XCTestCase {
    func testWritesClipToTheWidthAndTheScreen() {
        var g = ScreenGrid(width: 10, height: 2)
        XCTAssertEqual(g.write("hello world", x: 2, y: 0), 10)
        XCTAssertEqual(g.line(0), "  hello wo")
        g.write("abcdef", x: 1, y: 1, maxWidth: 3)
        XCTAssertEqual(g.line(1), " abc      ")
        g.write("zz", x: 0, y: 5)                        // off screen: nothing happens
        XCTAssertEqual(g.lines.count, 2)
    }

    func testControlCharactersCannotReachTheTerminal() {
        var g = ScreenGrid(width: 6, height: 1)
        g.write("a\u{1B}[2Jb", x: 0, y: 0)
        XCTAssertEqual(g.line(0), "a?[2Jb")
        // Among other text too (the non-ASCII path), and the C1 controls and DEL a journal's text may hold:
        // U+009B is a CSI to terminals that obey C1.
        var h = ScreenGrid(width: 9, height: 1)
        h.write("é\u{1B}\u{9B}2J\u{7F}\u{85}ü", x: 0, y: 0)
        XCTAssertEqual(h.line(0), "é??2J??ü ")
    }
}
