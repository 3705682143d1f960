import XCTest
import MaplLang
import MaplRuntime
@testable import MaplNotebook

/// What the notebook decides on a key, an event, Ctrl-C or a command, without a terminal: the state the user
/// then sees and what the notebook is asked to do (cancel the cell, ask the session, journal, …).
final class NotebookReducerTests: XCTestCase {
    private func reduce(_ state: inout NotebookState, _ input: NotebookInput, _ context: NotebookContext = NotebookContext()) -> [String] {
        NotebookReducer.reduce(state: &state, input: input, context: context).map(Self.name)
    }

    /// An effect's name (and its request), for comparing lists of them.
    private static func name(_ effect: NotebookEffect) -> String {
        switch effect {
        case .submit(let request): return "submit \(request.source)"
        case .journal(let event): return "journal \(event.kind.rawValue)"
        case .replayCellEnded(let n): return "replayCellEnded \(n)"
        case .askHelp(let topic): return "askHelp \(topic)"
        case .submitReplayed(let cell, let skipped): return (skipped ? "skip " : "submitReplayed ") + cell.source
        case .replayCommand(let text): return "replayCommand \(text)"
        case .submitCell(let source): return "submitCell \(source)"
        case .setPendingLines(let lines): return "pending \(lines)"
        case .appendHistory(let text): return "history \(text)"
        case .runCommand(let text): return "runCommand \(text)"
        case .setReadlinePrompt(let prompt): return "readline prompt \(prompt)"
        case .askHistogram(let path): return "askHistogram \(path)"
        case .save(let path): return "save \(path)"
        case .load(let path): return "load \(path)"
        default: return "\(effect)"
        }
    }

    private func walked(_ driver: SessionDriver) -> NotebookState {
        var state = NotebookState(title: "mapl")
        _ = reduce(&state, .events(driver.run("w = param([1.0, -2.0]); L = sum(w * w)") + driver.run("trace(L)")))
        return state
    }

    func testAKeyInTheStepperMovesTheStepAndQClosesIt() throws {
        let driver = SessionDriver()
        var state = walked(driver)
        XCTAssertTrue(state.stepperHasKeys, "a new walk takes the keys")
        XCTAssertEqual(state.stepper?.step, 0)
        let n = try XCTUnwrap(KeyMap.action(for: .character("n"), in: .stepper))
        XCTAssertEqual(reduce(&state, .key(n)), [])
        XCTAssertEqual(state.stepper?.step, 1)
        _ = reduce(&state, .key(.step(.previous)))
        XCTAssertEqual(state.stepper?.step, 0)
        _ = reduce(&state, .unmappedStepperKey)
        XCTAssertTrue(state.hint.contains("the stepper has the keys"), state.hint)
        let q = try XCTUnwrap(KeyMap.action(for: .character("q"), in: .stepper))
        _ = reduce(&state, .key(q))
        XCTAssertNil(state.stepper)
        XCTAssertFalse(state.stepperHasKeys)
        XCTAssertEqual(state.hint, NotebookHint.idle, "the prompt's hint again")
    }

    func testTabGivesTheKeysBackAndF3TakesThemAgain() {
        let driver = SessionDriver()
        var state = walked(driver)
        _ = reduce(&state, .key(.releaseStepper))
        XCTAssertFalse(state.stepperHasKeys)
        XCTAssertNotNil(state.stepper, "the walk stays on the screen")
        XCTAssertTrue(state.hint.hasPrefix("F3 stepper keys"), state.hint)
        _ = reduce(&state, .key(.focusStepper))
        XCTAssertTrue(state.stepperHasKeys)
        XCTAssertTrue(state.hint.contains("Tab back to the prompt"), state.hint)
    }

    func testF3WithoutAWalkSaysSo() {
        var state = NotebookState(title: "mapl")
        _ = reduce(&state, .key(.focusStepper))
        XCTAssertFalse(state.stepperHasKeys)
        XCTAssertTrue(state.entries.last?.lines.map(\.text).joined().contains("no trace to step through yet") ?? false)
    }

    func testEventsAreJournaledButNotSnapshotsAndAnEndedCellMovesTheReplay() {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        let effects = reduce(&state, .events(driver.run("print(1)")))
        XCTAssertEqual(effects.filter { $0.hasPrefix("journal") }, ["journal cellStarted", "journal text", "journal cellEnded"])
        XCTAssertEqual(effects.last, "replayCellEnded 1")
        XCTAssertTrue(state.entries.last?.lines.map(\.text).contains("1") ?? false, "the cell's output is in the transcript")
    }

    func testAPausedRunCanBeSteppedAndCtrlCStopsItUnlessSomethingIsTyped() {
        let driver = SessionDriver()
        var state = NotebookState(title: "mapl")
        _ = reduce(&state, .events(driver.run("seed(1); m = dense(2, 1); h = fit(m, xor(), loss=mse, batch=2, epochs=2, pause=true)")))
        XCTAssertTrue(state.trainingPaused)
        XCTAssertTrue(state.hint.hasPrefix("training paused"), state.hint)
        XCTAssertEqual(reduce(&state, .command(":next 3")), ["submit resume(training, batches=3)"])
        XCTAssertEqual(reduce(&state, .interrupt), ["submit stop(training)", "updatePrompt"])
        state.userIsTyping = true
        XCTAssertEqual(reduce(&state, .interrupt), ["clearLine", "updatePrompt"], "Ctrl-C first clears what is typed")
    }

    func testCtrlCWhileACellRunsCancelsItAndDuringAReplayStopsTheReplayToo() {
        var state = NotebookState(title: "mapl")
        XCTAssertEqual(reduce(&state, .interrupt, NotebookContext(sessionBusy: true)), ["cancelCell"])
        XCTAssertEqual(reduce(&state, .interrupt, NotebookContext(sessionBusy: true, replayPlaying: true)),
                       ["stopReplay", "cancelCell", "updatePrompt"])
        XCTAssertEqual(reduce(&state, .interrupt), ["clearLine", "updatePrompt"], "idle: the line is cleared")
    }

    func testF4PausesOnlyARunningCellAndNextNeedsAPausedRun() {
        var state = NotebookState(title: "mapl")
        XCTAssertEqual(reduce(&state, .key(.pauseTraining)), [])
        XCTAssertTrue(state.entries.last?.lines.map(\.text).joined().contains("nothing is training") ?? false)
        XCTAssertEqual(reduce(&state, .key(.pauseTraining), NotebookContext(sessionBusy: true)), ["pauseTraining"])
        XCTAssertEqual(state.hint, "pausing at the next batch…")
        XCTAssertEqual(reduce(&state, .command(":continue")), [], "nothing is paused")
        XCTAssertTrue(state.entries.last?.lines.map(\.text).joined().contains("no training is paused") ?? false)
    }

    func testCommandsAskTheSessionOrChangeWhatIsShown() {
        var state = NotebookState(title: "mapl")
        XCTAssertEqual(reduce(&state, .command(":vars")), ["askVariables"])
        XCTAssertEqual(reduce(&state, .command("?relu")), ["askHelp relu"])
        XCTAssertEqual(reduce(&state, .command(":pane hist m.W")), ["askHistogram m.W"])
        XCTAssertEqual(reduce(&state, .command(":save out.mapl")), ["save out.mapl"])
        XCTAssertEqual(reduce(&state, .command(":step x * 2")), ["submit trace(x * 2)"])
        XCTAssertEqual(reduce(&state, .command(":quit")), ["quit"])
        XCTAssertEqual(reduce(&state, .command(":replay")), [])
        XCTAssertTrue(state.entries.last?.lines.map(\.text).joined().contains("no stopped replay") ?? false)
        XCTAssertEqual(reduce(&state, .command(":replay"), NotebookContext(stoppedReplay: (cell: 2, of: 5))), ["goOnWithReplay"])
        _ = reduce(&state, .command(":pane digits"))
        XCTAssertEqual(state.pane, .digits)
        XCTAssertTrue(state.pinned)
        _ = reduce(&state, .command(":present"))
        XCTAssertTrue(state.presenting)
        XCTAssertEqual(state.hint, NotebookHint.presenting)
    }

    func testPaneChangesAreRecordedForSaveAndReplayButQuestionsAreNot() {
        XCTAssertEqual(NotebookReducer.recordedCommand(for: .key(.cyclePane)), ":pane next")
        XCTAssertEqual(NotebookReducer.recordedCommand(for: .command(":pane loss log")), ":pane loss log")
        XCTAssertNil(NotebookReducer.recordedCommand(for: .command(":vars")))
        XCTAssertNil(NotebookReducer.recordedCommand(for: .key(.step(.next))))
    }

    func testResetForgetsThePauseOnlyWhenTheSessionDidIt() {
        var state = NotebookState(title: "mapl")
        XCTAssertEqual(reduce(&state, .command(":reset")), ["resetSession"])
        _ = reduce(&state, .resetDone(succeeded: false))
        XCTAssertTrue(state.entries.last?.lines.map(\.text).joined().contains("Ctrl-C it first") ?? false)
        _ = reduce(&state, .resetDone(succeeded: true))
        XCTAssertTrue(state.entries.last?.lines.map(\.text).joined().contains("every name is forgotten") ?? false)
    }

    // MARK: - A replay

    private func replay(pauseBeforeEach: Bool = false) -> ReplayController {
        let script = ReplayScript(text: "## Data\nx = 1\n\n#@ while running: :pane loss\ny = 2\n\n## Model\nz = 3\n", path: "s.mapl")
        return ReplayController(plan: ReplayPlan(cells: script.cells, pauseBeforeEach: pauseBeforeEach, delay: 0, speed: 1), now: 0)
    }

    private func playing(_ r: ReplayController, now: Double, submitted: Int = 0, busy: Bool = false) -> NotebookContext {
        NotebookContext(sessionBusy: busy, replayPlaying: true, replay: r, submitted: submitted, now: now)
    }

    func testAReplayTypesTheNextCellIntoThePromptThenSubmitsIt() {
        let r = replay()
        var state = NotebookState(title: "mapl")
        XCTAssertEqual(reduce(&state, .replayTick, playing(r, now: 0.05)), [], "still typing")
        _ = reduce(&state, .replayFrame, playing(r, now: 0.05))
        XCTAssertEqual(state.prompt.pendingLines, ["## Data"], "the heading shows at once")
        XCTAssertEqual(state.prompt.text, "x ", "code is typed at 40 characters a second")
        XCTAssertEqual(state.prompt.prompt, "...> ")
        XCTAssertTrue(state.hint.hasPrefix("replay 1/3"), state.hint)
        XCTAssertEqual(reduce(&state, .replayTick, playing(r, now: 1)), ["submitReplayed ## Data\nx = 1"])
        r.submitted(as: 1)
        _ = reduce(&state, .replayFrame, playing(r, now: 1, submitted: 1, busy: true))
        XCTAssertEqual(state.prompt.text, "", "nothing typed while the cell runs")
        XCTAssertEqual(state.prompt.prompt, "[2]> ")
    }

    func testACommandRecordedWhileACellRanIsDoneOnceItRuns() {
        let r = replay(), context = playing(r, now: 0)
        var state = NotebookState(title: "mapl")
        r.goOn(now: 0)
        _ = reduce(&state, .replayTick, playing(r, now: 1))
        r.submitted(as: 1)
        r.cellEnded(1, now: 1)
        _ = reduce(&state, .replayTick, playing(r, now: 1))
        XCTAssertEqual(reduce(&state, .replayTick, playing(r, now: 2)), ["submitReplayed y = 2"])
        r.submitted(as: 2)
        XCTAssertEqual(reduce(&state, .replayCommandsDue, context), ["replayCommand :pane loss"])
    }

    func testReplayKeysGoOnSkipAChapterAndStopButQOnlyClosesTheStepper() {
        let r = replay(pauseBeforeEach: true)
        var state = NotebookState(title: "mapl")
        XCTAssertEqual(reduce(&state, .replayTick, playing(r, now: 5)), [], "waits for Enter")
        _ = reduce(&state, .key(.replayGoOn), playing(r, now: 5))
        XCTAssertEqual(reduce(&state, .replayTick, playing(r, now: 6)), ["submitReplayed ## Data\nx = 1"])
        r.submitted(as: 1)
        r.cellEnded(1, now: 6)
        XCTAssertEqual(reduce(&state, .key(.replayNextChapter), playing(r, now: 6)), ["skip y = 2"], "] runs the chapter's cells at once")
        _ = reduce(&state, .key(.replayQuit), playing(r, now: 6))
        XCTAssertEqual(r.notice, "X stops the replay (q closes the stepper)")
        _ = reduce(&state, .replayFrame, playing(r, now: 6))
        XCTAssertTrue(state.hint.hasPrefix("X stops the replay (q closes the stepper) · replay 3/3"), state.hint)
        XCTAssertEqual(reduce(&state, .key(.replayStop), playing(r, now: 6)), ["stopReplay"])
    }

    func testTheEndOfAReplayGivesThePromptBack() {
        let r = replay()
        var state = NotebookState(title: "mapl")
        var t = 0.0
        for n in 1...3 {
            // A rest ends on one tick and the typing finishes on a later one.
            var submitted: [String] = []
            for _ in 0..<3 where submitted.isEmpty { t += 1; submitted = reduce(&state, .replayTick, playing(r, now: t)) }
            XCTAssertEqual(submitted.count, 1, "cell \(n) submitted")
            r.submitted(as: n)
            XCTAssertEqual(reduce(&state, .replayFrame, playing(r, now: t)), [], "cell \(n) runs")
            r.cellEnded(n, now: t)
        }
        XCTAssertEqual(reduce(&state, .replayFrame, playing(r, now: t)), ["replayFinished", "updatePrompt"])
        XCTAssertTrue(state.hint.hasPrefix("replay finished · the prompt is yours"), state.hint)
    }

    // MARK: - A line from the prompt

    private lazy var driver = SessionDriver()
    /// Whether a cell needs more lines, as the session's parser says.
    private var isIncomplete: (String) -> Bool {
        { [session = driver.session] source in
            if case .incomplete = session.isComplete(source) { return true }
            return false
        }
    }

    func testALineIsACellACommandOrTheStartOfACell() {
        var state = NotebookState(title: "mapl")
        state.completions = ["relu", "reshape"]
        XCTAssertEqual(reduce(&state, .line("x = 1", pending: [], isIncomplete: isIncomplete)),
                       ["pending []", "history x = 1", "submitCell x = 1", "updatePrompt"])
        XCTAssertEqual(state.completions, [], "the candidates go once a line is entered")
        XCTAssertEqual(reduce(&state, .line("  :vars ", pending: [], isIncomplete: isIncomplete)),
                       ["history :vars", "runCommand :vars", "updatePrompt"])
        XCTAssertEqual(reduce(&state, .line("   ", pending: [], isIncomplete: isIncomplete)), ["updatePrompt"], "a blank line is nothing")
        XCTAssertEqual(reduce(&state, .line("fn area(w, h) {", pending: [], isIncomplete: isIncomplete)),
                       ["pending [\"fn area(w, h) {\"]", "updatePrompt"], "the cell goes on with ...>")
        XCTAssertEqual(reduce(&state, .line("  w * h }", pending: ["fn area(w, h) {"], isIncomplete: isIncomplete)),
                       ["pending []", "history fn area(w, h) {\n  w * h }", "submitCell fn area(w, h) {\n  w * h }", "updatePrompt"])
    }

    func testCtrlDQuitsOnAnEmptyPromptAndOtherwiseDropsTheCellBegun() {
        var state = NotebookState(title: "mapl")
        XCTAssertEqual(reduce(&state, .line(nil, pending: ["fn area(w, h) {"], isIncomplete: isIncomplete)), ["pending []", "updatePrompt"])
        XCTAssertEqual(reduce(&state, .line(nil, pending: [], isIncomplete: isIncomplete)), ["quit"])
    }

    func testThePromptNumbersTheNextCellContinuesACellAndKeepsReadlinesSearch() {
        var state = NotebookState(title: "mapl")
        let typing = ReadlinePrompt(displayPrompt: "[3]> ", text: "x = ", cursor: 4, pendingLines: [])
        XCTAssertEqual(reduce(&state, .promptChanged(typing), NotebookContext(submitted: 3)), ["readline prompt [4]> "],
                       "cell 3 was submitted: the prompt numbers cell 4")
        XCTAssertEqual(state.prompt.prompt, "[4]> ")
        XCTAssertEqual(state.prompt.text, "x = ")
        XCTAssertTrue(state.userIsTyping)
        let continued = ReadlinePrompt(displayPrompt: "[4]> ", text: "", cursor: 0, pendingLines: ["fn area(w, h) {"])
        XCTAssertEqual(reduce(&state, .promptChanged(continued), NotebookContext(submitted: 3)), ["readline prompt ...> "])
        XCTAssertTrue(state.userIsTyping, "a cell begun is something typed")
        let search = ReadlinePrompt(displayPrompt: "(reverse-i-search)`': ", text: "", cursor: 0, pendingLines: [])
        XCTAssertEqual(reduce(&state, .promptChanged(search), NotebookContext(submitted: 3)), [])
        XCTAssertEqual(state.prompt.prompt, "(reverse-i-search)`': ", "Ctrl-R's prompt is shown as readline has it")
        XCTAssertFalse(state.userIsTyping)
    }

    func testAQueuedCellRunsAndTheTranscriptFollowsIt() {
        var state = NotebookState(title: "mapl")
        state.scrollOffset = 12
        _ = reduce(&state, .queued)
        XCTAssertTrue(state.isRunning)
        XCTAssertEqual(state.scrollOffset, 0)
    }

    func testAStoppedReplaySaysWhereItStoppedAndHowToGoOn() {
        var state = NotebookState(title: "mapl")
        XCTAssertEqual(reduce(&state, .replayStopped(cell: 2, of: 5), NotebookContext(stoppedReplay: (cell: 2, of: 5))), ["updatePrompt"])
        XCTAssertEqual(state.hint, "replay stopped at cell 2/5 · :replay goes on · " + NotebookHint.idle)
        XCTAssertTrue(state.entries.last?.lines.map(\.text).joined().contains("the prompt is yours") ?? false)
    }

    func testTabsCandidatesShowUntilALineIsEntered() {
        var state = NotebookState(title: "mapl")
        _ = reduce(&state, .completions(["relu", "reshape"]))
        XCTAssertEqual(state.completions, ["relu", "reshape"])
        _ = reduce(&state, .line("relu(1)", pending: [], isIncomplete: { _ in false }))
        XCTAssertEqual(state.completions, [])
    }
}
