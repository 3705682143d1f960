import XCTest
import MaplRuntime

final class SourceCellsTests: XCTestCase {
    func testOneCellPerStatementWithItsCommentsAbove() {
        let source = """
            # A first look
            x = 1

            ## Chapter two
            # the function
            fn f(a) {
              return a + 1
            }
            y = f(x); z = 2
            print(y)   # trailing
            # the end
            """
        let cells = SourceCells.split(source)
        XCTAssertEqual(cells.map(\.source), [
            "# A first look\nx = 1",
            "## Chapter two\n# the function\nfn f(a) {\n  return a + 1\n}",
            "y = f(x); z = 2",
            "print(y)   # trailing\n# the end",
        ])
        XCTAssertEqual(cells.map(\.firstLine), [1, 4, 9, 10])
        XCTAssertEqual(cells.map(\.chapters), [[], ["Chapter two"], [], []])
    }

    func testAFileThatDoesNotParseIsOneCell() {
        let cells = SourceCells.split("x = (1 +\nprint(2)\n")
        XCTAssertEqual(cells.count, 1)
        XCTAssertEqual(cells.first?.firstLine, 1)
        XCTAssertEqual(SourceCells.split("  \n\n"), [])
    }

    func testCurlyBlocksSpanningLinesStayWhole() {
        let cells = SourceCells.split("for i in 1..3 {\n  print(i)\n}\nif true { print(1) } else {\n  print(2)\n}\n")
        XCTAssertEqual(cells.map(\.firstLine), [1, 4])
        XCTAssertEqual(cells.last?.source, "if true { print(1) } else {\n  print(2)\n}")
    }
}
