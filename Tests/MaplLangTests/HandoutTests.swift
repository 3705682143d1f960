import XCTest
@testable import MaplLang
@testable import MaplRender
import MaplNN

/// The handout written from a session's events, and from its journal (the notebook's `:save OUT.md`): the
/// same Markdown either way.
final class HandoutTests: XCTestCase {
    /// The events of `cells` run one after another, as a session emits them (a cell's start, what it shows,
    /// the echo of a matrix it ends in).
    private func events(_ cells: [String]) throws -> [DisplayEvent] {
        let interpreter = Interpreter()
        var events: [DisplayEvent] = []
        interpreter.display = { events.append($0) }
        interpreter.output = { events.append(.text($0)) }
        for (i, source) in cells.enumerated() {
            events.append(.cellStarted(CellInfo(number: i + 1, source: source, origin: "t.mapl")))
            if let value = try interpreter.run(try Parser.parse(source)) {
                events.append(.value(EchoedValue(value: ValueSnapshot(value, printer: interpreter.printer), printed: interpreter.printer.repr(value),
                                                 grid: interpreter.printer.grid(value))))
            }
            events.append(.cellEnded(CellEnd(number: i + 1, outcome: .ok, seconds: 0)))
        }
        return events
    }

    private let cells = ["## Squares\n# d(ΣW²)/dW = 2W\nW = param([[1, 2], [3, 4]])", "W", "s = sum(W * W)\ntrace(s, quiz=true)"]

    func testTheJournalGivesTheSameHandoutAsTheEvents() throws {
        let events = try events(cells)
        var direct = Handout(title: "t.mapl")
        for e in events { direct.add(e) }
        let fromEvents = direct.markdown()
        let journal = ([EventJSON.header(source: "t.mapl")] + events.map(EventJSON.encode)).joined(separator: "\n") + "\n"
        XCTAssertEqual(Handout.markdown(of: JournalReader(bytes: Array(journal.utf8)), title: "t.mapl"), fromEvents)

        // The chapter, the prose, the code, the matrix as a grid, the quiz with its key.
        XCTAssertTrue(fromEvents.contains("## Squares\n\nd(ΣW²)/dW = 2W\n\n```mapl\nW = param([[1, 2], [3, 4]])\nW\n```"), fromEvents)
        XCTAssertTrue(fromEvents.contains("```text\ntensor [2, 2]  requires_grad=true\n1.  2.\n3.  4.\n```"), fromEvents)
        let parts = fromEvents.components(separatedBy: "## Answer key")
        XCTAssertEqual(parts.count, 2, fromEvents)
        // d(ΣW²)/dW = 2W = [[2, 4], [6, 8]], by hand, the sum of W's two shares: a blank in the walk, in the key.
        XCTAssertFalse(parts[0].contains("[[2., 4.], [6., 8.]]"), parts[0])
        XCTAssertTrue(parts[1].contains("[[2., 4.], [6., 8.]]"), parts[1])
    }

    func testAFenceIsLongerThanAnyRunOfBackticksInside() {
        XCTAssertEqual(Handout.fenced(["print(\"```\")"], info: "mapl"), ["````mapl", "print(\"```\")", "````", ""])
    }
}
