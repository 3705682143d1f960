/// A cell's recorded pauses and interrupts, done again where they fell, and where this cell's own
/// interrupt falls — the session half of a faithful replay (`SessionAction`).
struct CellReplayState {
    /// Pauses to request: training pauses before batch `batch` of epoch `epoch`, in the cell's `call`th
    /// call of `fit` or `resume`.
    var pauses: [(epoch: Int, batch: Int, call: Int)] = []
    /// Training to interrupt after `batch` batches of epoch `epoch`, in the `call`th call.
    var trainingInterrupt: (epoch: Int, batch: Int, call: Int)? = nil
    /// Calls of `fit` and `resume` in this cell so far.
    var trainingCalls = 0
    /// The safe point (loop iteration or call, counted from 1) at which to interrupt the cell.
    var interruptAtSafePoint: Int? = nil
    /// Safe points passed in this cell so far.
    var safePoints = 0
    /// Where an interrupt stopped training in this cell, and at which safe point one stopped the cell.
    var interruptedTraining: (epoch: Int, batch: Int, call: Int)? = nil
    var interruptedAtSafePoint: Int? = nil
}

extension Interpreter {
    /// Makes the next cell repeat the recorded `actions` (its pauses and interrupt); the notebook's commands
    /// among them are not the interpreter's and are left out.
    public func repeatInNextCell(_ actions: [SessionAction]) {
        replay = CellReplayState()
        var atCheck: Int? = nil
        defer { interrupt.countChecks(requestingAt: atCheck) }
        for action in actions {
            switch action {
            case .pause(let e, let b, let call): replay.pauses.append((e, b, call))
            case .interruptTraining(let e, let b, let call): replay.trainingInterrupt = (e, b, call)
            case .interruptAtSafePoint(let n): replay.interruptAtSafePoint = n
            case .interruptAtCheck(let n): atCheck = n
            case .command: break
            }
        }
    }

    /// Where the cell that just stopped on an interrupt was stopped: training's batch when the interrupt
    /// ended a run, else the safe point that saw it, else the library check that did (or, for one seen
    /// inside the engine without either, the next safe point).
    public var interruptPlace: SessionAction {
        if let t = replay.interruptedTraining { return .interruptTraining(epoch: t.epoch, batch: t.batch, call: t.call) }
        if replay.interruptedAtSafePoint == nil, let n = interrupt.interruptedAtCheck { return .interruptAtCheck(n) }
        return .interruptAtSafePoint(replay.interruptedAtSafePoint ?? replay.safePoints + 1)
    }

    /// `fit` and `resume` at a batch boundary, after `batch` batches of epoch `epoch`: requests the pause or
    /// the interrupt recorded there, to be acted on at once.
    func trainingBoundary(epoch: Int, batch: Int) {
        let call = replay.trainingCalls
        if let i = replay.pauses.firstIndex(where: { $0.epoch == epoch && $0.batch == batch + 1 && $0.call == call }) {
            replay.pauses.remove(at: i)
            pauseRequest.request()
        }
        if let t = replay.trainingInterrupt, t.epoch == epoch, t.batch == batch, t.call == call {
            replay.trainingInterrupt = nil
            interrupt.request()
        }
    }

    /// A call of `fit` or `resume` starts training: boundaries from here on are its.
    func trainingCallStarts() { replay.trainingCalls += 1 }

    /// Training ended on an interrupt after `batch` batches of epoch `epoch`.
    func trainingInterrupted(epoch: Int, batch: Int) { replay.interruptedTraining = (epoch, batch, replay.trainingCalls) }

    /// The current call of `fit` or `resume` in the cell (for a pause's place).
    var trainingCall: Int { replay.trainingCalls }
}
