import XCTest
@testable import MaplLang

/// `Parser.isComplete`: false only when the entry stops too early, so the notebook asks for another line.
final class ParserIsCompleteTests: XCTestCase {
    func testUnfinishedEntries() {
        let unfinished = [
            "x = (1 +", "f(a,", "if x {", "fn f(x) {\n  y = x", "x = 1 +", "y = a |>", "[1, 2", "x =",
            "if x", "fn f(x)", "for i in", "for i in xs", "f(a, b,", "x = [\n", "t = time {", "if a { } else",
            "x = 1 +  # a comment", "m = a >>\n", "while t < 10 {\n  t += 1\n", "g = x ->", "x[1:", "a and",
            "not", "W -=", "fn", "f(x) =", "nograd {", "if a { } else if b {", "return -",
        ]
        for source in unfinished {
            XCTAssertFalse(Parser.isComplete(source), source)
        }
    }

    func testFinishedEntries() {
        let finished = [
            "", "x = 1", "# just a comment", "if x { y }", "fn f(x) { x }", "f(a, b)", "x = [1,\n2]\n", "return",
            "if a { } else { }", "for i in 1..3 { print(i) }\n", "x = 1;",
        ]
        for source in finished {
            XCTAssertTrue(Parser.isComplete(source), source)
        }
    }

    func testDefiniteErrorsAreComplete() {
        // These can never be fixed by typing more, so the notebook should report them at once.
        let broken = ["x = 1 )", "\"abc", "x = $", "f(a]", "1 = 2", "x = 1 2", "}", "if x = 1 {", "a..b..", "fn f(1"]
        for source in broken {
            XCTAssertTrue(Parser.isComplete(source), source)
            XCTAssertThrowsError(try Parser.parse(source), source)
        }
    }

    func testContinuedEntriesParse() throws {
        // Every proper prefix (in whole lines) asks for more; the whole entry then parses.
        let pieces = [["fn f(x)", "{", "  x * 2", "}"], ["if a", "{ b }"], ["x = (1 +", "2)"], ["f(a,", "b", ")"],
                      ["while t < 3 {", "t += 1", "}"]]
        for lines in pieces {
            for count in 1..<lines.count {
                let prefix = lines.prefix(count).joined(separator: "\n")
                XCTAssertFalse(Parser.isComplete(prefix), prefix)
            }
            let whole = lines.joined(separator: "\n")
            XCTAssertTrue(Parser.isComplete(whole), whole)
            XCTAssertNoThrow(try Parser.parse(whole), whole)
        }
    }
}
