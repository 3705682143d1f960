import Foundation
import XCTest
import MaplTestSupport

/// The notebook's `:save OUT.md`: the handout of what was typed, in the real binary in tmux.
final class HandoutE2ETests: XCTestCase {
    func testSaveMarkdownWritesTheCellsAndTheQuizWalkWithItsKey() throws {
        let t = try TmuxDriver("\(TmuxDriver.quote(TmuxDriver.mapl))", environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal.jsonl"])
        t.waitFor("[1]>")
        try t.paste(WorkedExample.program)
        try t.press("Enter")
        t.waitFor("[2]>")
        try t.enter(":step --quiz L")
        t.waitFor("forward 1/12 ─ quiz")
        try t.press("q")
        try t.enter(":save walk.md")
        t.waitFor("saved the handout")

        let md = try String(contentsOfFile: t.directory + "/walk.md", encoding: .utf8)
        XCTAssertTrue(md.contains("```mapl\nx = [0.5, 0.1]\n"), md)
        XCTAssertTrue(md.contains("\ntrace(L, quiz=true)\n```\n"), md)
        let parts = md.components(separatedBy: "## Answer key")
        XCTAssertEqual(parts.count, 2, md)
        // At the sigmoid (by hand and NumPy, see TeachingE2ETests): the factor and the flow are blanks, keyed.
        XCTAssertTrue(parts[0].contains("flows    ∂L/∂z = upstream ⊙ rule = ______  ["), parts[0])
        XCTAssertFalse(parts[0].contains("[-0.0987, 0.1461]") || parts[0].contains("[0.2416, 0.2356]"), parts[0])
        XCTAssertTrue(parts[1].contains("∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]"), parts[1])
        XCTAssertTrue(parts[1].contains("= [0.5915·0.4085, 0.6201·0.3799] = [0.2416, 0.2356]"), parts[1])
    }
}
