import Foundation
import XCTest
import MaplTestSupport

/// The notebook's own requests — `:step`, `:next`, `:continue`, Ctrl-C on a paused run, `:set show` — are the
/// session's typed requests, not source typed on the user's behalf: a user who names a variable `trace`,
/// `resume`, `stop`, `show_limit` or `training` still steps, resumes and stops, and the saved session replays
/// the same.
final class ShadowedNamesE2ETests: XCTestCase {
    private func folder() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("shadowed-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    private func mapl(_ arguments: [String], in directory: String) throws -> (status: Int32, out: String) {
        let r = try Subprocess.run([TmuxDriver.mapl] + arguments, directory: directory, mergingErrors: true)
        return (r.status, r.output)
    }

    func testStepResumeAndStopWorkWithTheirNamesTakenAndTheSessionReplays() throws {
        let dir = try folder()
        let t = try TmuxDriver(TmuxDriver.quote(TmuxDriver.mapl), width: 120, height: 36, directory: dir,
                               environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal.jsonl"])
        t.waitFor("[1]>")
        try t.enter("trace = 1; resume = 2; stop = 3; show_limit = 7; w = param([1.0, -2.0]); L = sum(w * w * 3)")
        t.waitFor("[2]>")
        try t.enter(":step L")
        t.waitFor("trace(L) ─ forward 1/")
        try t.press("q")
        t.waitFor("the stepper closed") { !$0.contains("trace(L) ─") }
        try t.enter(":set show 64")
        t.waitFor("[4]>")

        try t.enter("seed(1); m = dense(2, 1); h = fit(m, xor(), loss=mse, batch=2, epochs=2, pause=true)")
        t.waitFor("training paused: :next")
        try t.enter("training = 4")
        try t.enter(":next")
        t.waitFor("batch 1/2: loss on this batch")
        try t.enter(":continue")
        t.waitFor("[8]>", timeout: 30)
        try t.enter("h2 = fit(m, xor(), loss=mse, batch=2, pause=true)")
        t.waitFor("training paused: :next")
        try t.enter("training = 4")
        t.waitFor("[10]>")
        try t.press("C-c")                                  // nothing typed: ends the paused run
        t.waitFor("training ended while paused", timeout: 10)
        try t.enter("print(\"names\", trace, resume, stop, training, len(h.loss), show_limit)")
        t.waitFor("names 1 2 3 4 2 7")
        try t.enter(":save s.mapl")
        t.waitFor("saved 11 cells")
        try t.enter(":save s.jsonl")
        t.waitFor("saved the journal")
        try t.press("C-d")

        // The saved session runs headless and reruns to the same outputs, the names still taken.
        let run = try mapl(["run", "s.mapl"], in: dir)
        XCTAssertEqual(run.status, 0, run.out)
        XCTAssertTrue(run.out.contains("names 1 2 3 4 2 7"), run.out)
        let check = try mapl(["replay", "--rerun-check", "s.jsonl"], in: dir)
        XCTAssertEqual(check.status, 0, check.out)
        XCTAssertTrue(check.out.hasPrefix("rerun check passed: 11 cells"), check.out)
        let against = try mapl(["replay", "--rerun-check", "s.mapl", "--against", "s.jsonl"], in: dir)
        XCTAssertEqual(against.status, 0, against.out)
    }
}
