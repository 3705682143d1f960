import Foundation
import XCTest
import MaplTestSupport

/// The notebook as a user meets it: the real binary in a real terminal (tmux), typed at, read back.
final class NotebookE2ETests: XCTestCase {
    private func notebook(_ arguments: String = "", width: Int = 120, height: Int = 36, journal: String? = nil) throws -> TmuxDriver {
        var env = ["MAPL_HISTORY": "history"]
        if let journal { env["MAPL_JOURNAL"] = journal }
        let t = try TmuxDriver("\(TmuxDriver.quote(TmuxDriver.mapl)) \(arguments)", width: width, height: height, environment: env)
        t.waitFor("[1]>")
        return t
    }

    private func needsMNIST() throws { _ = try RealData.mnistData() }

    func testTypeAnExpressionAndReadItsValue() throws {
        let t = try notebook()
        try t.enter("a = 6 * 7")
        try t.enter("a + 0.5")
        t.waitFor("42.5")
    }

    func testAMultiLineFunctionIsOneCell() throws {
        let t = try notebook()
        try t.enter("fn sq(x) {")
        t.waitFor("...>")
        try t.enter("  return x * x")
        try t.enter("}")
        try t.enter("sq(12) + 0.5")
        t.waitFor("144.5")
        XCTAssertTrue(t.screen().contains("[3]"), "the function was one cell, the call the second: \(t.screen())")
    }

    func testABracketedPasteOfThreeLinesIsOneCell() throws {
        let t = try notebook()
        try t.paste("p1 = 20\np2 = 3\np3 = p1 * p2 + 0.25")
        try t.press("Enter")
        try t.enter("p3")
        t.waitFor("60.25")
        XCTAssertTrue(t.screen().contains("[2]"), t.screen())
        XCTAssertFalse(t.screen().contains("[4]"), "the paste ran as one cell, not three: \(t.screen())")
    }

    func testTabCompletesNamesAndFields() throws {
        let t = try notebook()
        try t.enter("weights_of_layer = dense(3, 2)")
        try t.type("weights_of_l")
        try t.press("Tab")                       // the name completes
        try t.type(".W.sha")
        try t.press("Tab")                       // a field of a field completes
        try t.press("Enter")
        t.waitFor("[3, 2]")
        try t.type("xx_alpha = 1; xx_beta = 2")
        try t.press("Enter")
        try t.type("xx_")
        try t.press("Tab")                       // ambiguous: the candidates are listed
        t.waitFor("xx_beta")
    }

    func testCtrlCStopsALongLoopAndKeepsTheNames() throws {
        let t = try notebook()
        try t.enter("kept = 41")
        try t.enter("n = 0")
        try t.enter("while true { n += 1 }")
        usleep(300_000)
        try t.press("C-c")
        t.waitFor("interrupted")
        try t.enter("kept + 1.5")
        t.waitFor("42.5")
    }

    func testTrainTheChaptersMLPOnMNISTWithTheLossPaneLive() throws {
        try needsMNIST()
        let t = try notebook()
        try t.enter("train = mnist(\"train\")")
        try t.enter("m = flatten >> dense(784, 128) >> relu >> dense(128, 10)")
        try t.enter("h = fit(m, train, epochs=3)")
        // While it runs: the progress line (epoch, batch of 938, loss, ETA) and the loss pane's curve.
        t.waitFor("the progress line", timeout: 60) { $0.contains("/938") && $0.contains("ETA") && $0.contains("epoch ") }
        t.waitFor("the loss pane", timeout: 60) { $0.contains("loss ─ fit") || $0.contains("loss - fit") }
        t.waitFor("epoch 3/3", timeout: 180)
    }

    func testShowARealDigitWithItsPrediction() throws {
        try needsMNIST()
        let t = try notebook()
        try t.enter("test = mnist(\"test\")")
        try t.enter("m = flatten >> dense(784, 10)")
        try t.enter("fit(m, test[0:2000], epochs=2)")
        try t.enter("show(test, 0, model=m)")
        t.waitFor("label 7", timeout: 60)
        t.waitFor("predicted", timeout: 10)
    }

    func testResizeMidTrainingRedrawsEverything() throws {
        try needsMNIST()
        let t = try notebook()
        try t.enter("marker_before = 1234.5")
        try t.enter("marker_before")
        t.waitFor("1234.5")
        try t.enter("d = mnist(\"test\")")
        try t.enter("m = flatten >> dense(784, 64) >> relu >> dense(64, 10)")
        try t.enter("fit(m, d, epochs=50)")
        t.waitFor("training", timeout: 60) { $0.contains("ETA") }
        try t.resize(width: 90, height: 30)
        t.waitFor("the narrower layout") { screen in screen.split(separator: "\n").allSatisfy { $0.count <= 90 } && screen.contains("ETA") }
        try t.resize(width: 130, height: 40)
        t.waitFor("1234.5")
        try t.press("C-c")
        t.waitFor("interrupted", timeout: 30)
    }

    func testTooSmallATerminalSaysSo() throws {
        let t = try notebook(width: 80, height: 24)
        try t.resize(width: 30, height: 8)
        t.waitFor("too small")
        try t.resize(width: 80, height: 24)
        t.waitFor("[1]>")
    }

    func testSaveQuitAndRunTheSavedFileHeadless() throws {
        let t = try notebook()
        try t.enter("x = [1, 2, 3]")
        try t.enter("print(sum(x * x) + 0.5)")
        t.waitFor("14.5")
        try t.enter("oops = nothing_here")
        t.waitFor("error")
        try t.enter(":save lesson.mapl")
        t.waitFor("saved")
        try t.press("C-d")
        let deadline = Date(timeIntervalSinceNow: 10)
        while t.isRunning && Date() < deadline { usleep(50_000) }
        XCTAssertFalse(t.isRunning, "Ctrl-D on an empty line quits")
        let run = Process()
        run.executableURL = URL(fileURLWithPath: TmuxDriver.mapl)
        run.arguments = ["run", t.directory + "/lesson.mapl"]
        let out = Pipe()
        run.standardOutput = out
        try run.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        run.waitUntilExit()
        XCTAssertEqual(run.terminationStatus, 0, "the saved file runs (the failed cell is kept as a comment)")
        XCTAssertEqual(text, "14.5\n")
    }

    func testKillDashNineLosesNoTypedCell() throws {
        let t = try notebook(journal: "journal.jsonl")
        let cells = ["first = 1", "second = first + 1", "while true { first += 1 }", "third = 3"]
        for cell in cells { try t.enter(cell) }
        t.waitFor("[5]>")
        // The notebook's process: the child of the tmux pane.
        let pid = try t.tmux(["display-message", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        kill(pid_t(pid) ?? 0, SIGKILL)
        let journal = try String(contentsOfFile: t.directory + "/journal.jsonl", encoding: .utf8)
        for cell in cells {
            XCTAssertTrue(journal.contains("\"source\":\"\(cell)\""), "'\(cell)' is not in the journal:\n\(journal)")
        }
    }
}

/// `mapl replay`: a saved session played in the notebook, and the headless rerun check.
final class ReplayE2ETests: XCTestCase {
    private let lecture = """
        # A tiny lecture
        x = [1, 2, 3]
        print(sum(x) + 0.5)

        ## Chapter two
        y = x * 2
        print(y)

        ## Chapter three
        print("three")
        z = 42.25
        z
        """

    func testReplayWithPauseAdvancesCellByCellAndJumpsToAChapter() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try lecture.write(toFile: dir + "/lecture.mapl", atomically: true, encoding: .utf8)
        let t = try TmuxDriver("\(TmuxDriver.quote(TmuxDriver.mapl)) replay --pause --speed 4 lecture.mapl", width: 100, height: 30,
                               directory: dir, environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal.jsonl"])
        t.waitFor("replay 1/7")
        XCTAssertFalse(t.screen().contains("[1] # A tiny lecture"), "with --pause nothing runs before Enter")
        try t.press("Enter")
        t.waitFor("[1] # A tiny lecture")
        try t.press("n")
        t.waitFor("6.5")
        try t.press("n")                                   // the third cell: chapter two begins
        t.waitFor("[3] ## Chapter two")
        try t.press("]")                                   // run the rest of chapter two, stand before chapter three
        t.waitFor("tensor([2., 4., 6.])")
        t.waitFor("replay 5/7")
        XCTAssertFalse(t.screen().contains("three\n"), "chapter three waits for a key")
        try t.press("n")
        t.waitFor("replay 6/7")
        try t.press("n")
        t.waitFor("replay 7/7")
        try t.press("n")
        t.waitFor("42.25")
        t.waitFor("replay finished")
        try t.enter("z + 1")                               // the prompt is the user's again, with the replay's names
        t.waitFor("43.25")
    }

    func testRerunCheckPassesOnARecordedJournalAndNamesTheCellOfADoctoredOne() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rerun-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try lecture.write(toFile: dir + "/lecture.mapl", atomically: true, encoding: .utf8)
        // Record a journal in the notebook: replay the lecture at full speed.
        let t = try TmuxDriver("\(TmuxDriver.quote(TmuxDriver.mapl)) replay --speed 0 --delay 0 lecture.mapl", width: 100, height: 30,
                               directory: dir, environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal.jsonl"])
        t.waitFor("replay finished")
        try t.press("C-d")
        let journal = try String(contentsOfFile: dir + "/journal.jsonl", encoding: .utf8)
        XCTAssertEqual(journal.components(separatedBy: "\"event\":\"cellStarted\"").count - 1, 7)

        let passed = try run([TmuxDriver.mapl, "replay", "--rerun-check", dir + "/journal.jsonl"])
        XCTAssertEqual(passed.status, 0, passed.out)
        XCTAssertTrue(passed.out.contains("7 cells, every output the same"), passed.out)

        // Doctor the value the sixth cell's print recorded.
        try journal.replacingOccurrences(of: "\"text\":\"three\"", with: "\"text\":\"four\"")
            .write(toFile: dir + "/doctored.jsonl", atomically: true, encoding: .utf8)
        let failed = try run([TmuxDriver.mapl, "replay", "--rerun-check", dir + "/doctored.jsonl"])
        XCTAssertEqual(failed.status, 1)
        XCTAssertTrue(failed.out.contains("cell 5 (## Chapter three)"), failed.out)
        XCTAssertTrue(failed.out.contains("four") && failed.out.contains("three"), failed.out)
    }

    private func run(_ argv: [String]) throws -> (status: Int32, out: String) {
        let r = try Subprocess.run(argv, mergingErrors: true)
        return (r.status, r.output)
    }
}

/// Leaving the notebook any way gives the terminal back as it was.
final class NotebookExitE2ETests: XCTestCase {
    private func shellWithNotebook() throws -> TmuxDriver {
        let t = try TmuxDriver("sh -c '\(TmuxDriver.mapl); echo notebook-exited-$?; sleep 30'", width: 100, height: 30,
                               environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal.jsonl"])
        t.waitFor("[1]>")
        return t
    }

    private func alternateScreen(_ t: TmuxDriver) -> String {
        ((try? t.tmux(["display-message", "-p", "#{alternate_on}"])) ?? "?").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func testSigtermRestoresTheTerminal() throws {
        let t = try shellWithNotebook()
        XCTAssertEqual(alternateScreen(t), "1", "the notebook draws on the alternate screen")
        let pid = try t.tmux(["display-message", "-p", "#{pane_pid}"]).trimmingCharacters(in: .whitespacesAndNewlines)
        // The shell's child is the notebook.
        let children = try String(contentsOfFile: "/proc/\(pid)/task/\(pid)/children", encoding: .utf8)
        let notebook = try XCTUnwrap(children.split(separator: " ").first.flatMap { pid_t($0) })
        kill(notebook, SIGTERM)
        t.waitFor("notebook-exited-")
        XCTAssertEqual(alternateScreen(t), "0", "curses ended: the normal screen is back")
    }

    func testCtrlDRestoresTheTerminalAndExitsZero() throws {
        let t = try shellWithNotebook()
        try t.enter("x = 1")
        try t.press("C-d")
        t.waitFor("notebook-exited-0")
        XCTAssertEqual(alternateScreen(t), "0")
    }

    /// Ctrl-\ (SIGQUIT) used to end the notebook, idle or mid-run, and leave the terminal on the alternate
    /// screen: it is an interrupt now — idle it does nothing, in a running cell it stops the cell.
    func testCtrlBackslashIsAnInterruptNotAKill() throws {
        // Ctrl-\ reaches the whole foreground group: the shell around the notebook traps it to outlive it (an
        // interactive shell would have put the notebook in a group of its own). A trap, unlike ignoring,
        // is not inherited: the notebook meets SIGQUIT's default action unless it handles it.
        let t = try TmuxDriver("sh -c 'trap \"echo shell-saw-quit\" QUIT; \(TmuxDriver.mapl); echo notebook-exited-$?; sleep 30'",
                               width: 100, height: 30, environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal.jsonl"])
        t.waitFor("[1]>")
        try t.enter("kept = 41")
        try t.press("C-\\")
        usleep(300_000)
        try t.enter("n = 0")
        try t.enter("while true { n += 1 }")
        usleep(300_000)
        try t.press("C-\\")
        t.waitFor("interrupted")
        try t.enter("kept + 1.5")
        t.waitFor("42.5")
        XCTAssertFalse(t.screen().contains("notebook-exited-"))
        XCTAssertEqual(alternateScreen(t), "1")
        try t.press("C-d")
        t.waitFor("notebook-exited-0")
        XCTAssertEqual(alternateScreen(t), "0")
    }

    /// MAPL_JOURNAL on a named pipe kept the notebook from starting (the open waited for a reader), MAPL_HISTORY
    /// on one froze it at the first Enter: each is refused with a warning and the notebook works on.
    func testJournalAndHistoryOnNamedPipesAreRefusedWithAWarning() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("mapl-e2e-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        XCTAssertEqual(mkfifo(folder + "/journal", 0o600), 0)
        XCTAssertEqual(mkfifo(folder + "/history", 0o600), 0)
        let t = try TmuxDriver(TmuxDriver.quote(TmuxDriver.mapl), directory: folder,
                               environment: ["MAPL_HISTORY": "history", "MAPL_JOURNAL": "journal"])
        t.waitFor("[1]>")
        t.waitFor("history file history is a named pipe, not a file")
        t.waitFor("cannot write the journal journal: it is a named pipe, not a file")
        try t.enter("41 + 1")
        t.waitFor("42")
        try t.enter("40 + 3")
        t.waitFor("43")
    }
}
