import XCTest
import Foundation
import MaplLang
import MaplRuntime

/// Each session draws from its own random generator, so `seed(n)` in one session moves no other's draws.
final class SessionRandomTests: XCTestCase {
    /// Runs `source` as one cell and returns what it printed.
    @discardableResult
    private func printed(_ session: Session, _ source: String) -> [String] {
        session.submit(source)
        return session.eventsUntilCellEnds().compactMap { e -> String? in if case .text(let t) = e { return t }; return nil }
    }

    /// Two sessions seeded alike draw the same numbers even when their draws interleave cell by cell with
    /// each other's and with a third session's; the third, seeded differently, draws other numbers. (With
    /// one generator for the process, each cell would take the numbers after the previous session's.)
    func testSessionsSeededAlikeDrawAlikeWhileInterleaved() {
        let a = Session(), b = Session(), c = Session()
        defer { a.shutdown(); b.shutdown(); c.shutdown() }
        printed(a, "seed(7)")
        printed(b, "seed(7)")
        printed(c, "seed(8)")
        var draws: [[String]] = [[], [], []]
        for cell in ["print(randn(4))", "print(rand(3))", "print(randn(2, 2))"] {
            for (i, session) in [a, c, b].enumerated() { draws[i] += printed(session, cell) }
        }
        let (fromA, fromC, fromB) = (draws[0], draws[1], draws[2])
        XCTAssertEqual(fromA.count, 3, "\(fromA)")
        XCTAssertEqual(fromA, fromB)
        XCTAssertNotEqual(fromA, fromC)
        XCTAssertTrue(zip(fromA, fromC).allSatisfy { $0 != $1 }, "\(fromA) vs \(fromC)")
    }

    /// Reseeding one session restarts its own sequence and leaves another session's where it was.
    func testSeedInOneSessionLeavesAnothersSequence() {
        let a = Session(), b = Session()
        defer { a.shutdown(); b.shutdown() }
        printed(a, "seed(3)")
        printed(b, "seed(3)")
        let first = printed(a, "print(rand(3))")
        XCTAssertEqual(printed(b, "print(rand(3))"), first)
        printed(a, "seed(3)")   // a starts over; b goes on from its second draw
        XCTAssertEqual(printed(a, "print(rand(3))"), first)
        let second = printed(b, "print(rand(3))")
        XCTAssertEqual(second.count, 1)
        XCTAssertNotEqual(second, first)
        XCTAssertEqual(printed(a, "print(rand(3))"), second)
    }
}
