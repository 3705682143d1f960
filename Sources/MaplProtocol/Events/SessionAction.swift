import Foundation

/// Something the user did that changed what a cell did or what the notebook showed — F4, Ctrl-C, a `:pane`
/// choice — recorded (as an `.action` event in the journal, as a `#@ ` annotation in a saved `.mapl`) so
/// that a replay does it again at the same place. Its text form is the annotation's:
///
///     #@ pause before epoch 1 batch 583       F4 paused training there
///     #@ interrupt after epoch 1 batch 900    Ctrl-C ended training after that batch
///     #@ interrupt at safe point 57           Ctrl-C stopped the cell at its 57th loop iteration or call
///     #@ interrupt at library check 12        … at the 12th check inside evaluate, gradcheck, a loader
///     #@ :pane hist m.layers[0].W             a command typed before the cell
///     #@ while running: :pane loss            a command typed while the cell ran
public enum SessionAction: Sendable, Equatable {
    /// Training paused before batch `batch` of epoch `epoch` (a pause request: F4), in the cell's `call`th
    /// call of `fit` or `resume` (a loop may train several runs).
    case pause(epoch: Int, batch: Int, call: Int = 1)
    /// Training was interrupted after `batch` batches of epoch `epoch` had been trained (Ctrl-C in `fit` or
    /// `resume`; batch 0 is before the epoch's first batch), in the cell's `call`th call of them.
    case interruptTraining(epoch: Int, batch: Int, call: Int = 1)
    /// The cell was interrupted at its `n`th safe point (loop iterations and calls, counted from 1): as
    /// exactly as the interpreter can place an interrupt outside training.
    case interruptAtSafePoint(Int)
    /// The cell was interrupted at the `n`th check inside a builtin's long work (between `evaluate`'s or
    /// `confusion`'s batches, `gradcheck`'s elements, a loader's chunks), counted from 1 in the cell.
    case interruptAtCheck(Int)
    /// A notebook command that changes what is shown (`:pane …`, `:step --quiz`, `:clear`), typed before
    /// the cell or while it ran (`during`).
    case command(String, during: Bool)

    /// The line a `.mapl` file holds it on, before the cell it belongs to.
    public static let marker = "#@ "

    /// The commands whose effect is part of the session: what the screen shows (or, for `:reset`, the state).
    public static func isRecorded(command: String) -> Bool {
        let name = command.dropFirst().split(separator: " ").first.map(String.init) ?? ""
        return ["pane", "step", "clear", "reset"].contains(name)
    }

    public var text: String {
        switch self {
        case .pause(let e, let b, let call): return "pause before epoch \(e) batch \(b)" + SessionAction.inCall(call)
        case .interruptTraining(let e, let b, let call): return "interrupt after epoch \(e) batch \(b)" + SessionAction.inCall(call)
        case .interruptAtSafePoint(let n): return "interrupt at safe point \(n)"
        case .interruptAtCheck(let n): return "interrupt at library check \(n)"
        case .command(let c, let during): return (during ? SessionAction.duringPrefix : "") + c
        }
    }

    private static let duringPrefix = "while running: "
    /// The call, when it is not the cell's first: ` in training call 2`.
    private static func inCall(_ call: Int) -> String { call == 1 ? "" : " in training call \(call)" }

    /// Reads the text form back; nil when `text` is none of them.
    public init?(text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix(SessionAction.duringPrefix) {
            let c = String(t.dropFirst(SessionAction.duringPrefix.count)).trimmingCharacters(in: .whitespaces)
            guard c.hasPrefix(":") else { return nil }
            self = .command(c, during: true)
            return
        }
        if t.hasPrefix(":") { self = .command(t, during: false); return }
        var words = t.split(separator: " ").map(String.init)
        func number(_ s: String) -> Int? { Int(s).flatMap { $0 >= 0 ? $0 : nil } }
        var call = 1
        if words.count == 10, words[6...8] == ["in", "training", "call"] {
            guard let n = number(words[9]), n >= 1 else { return nil }
            call = n
            words.removeLast(4)
        }
        switch words.count {
        case 6 where words[0] == "pause" && words[1] == "before" && words[2] == "epoch" && words[4] == "batch":
            guard let e = number(words[3]), let b = number(words[5]), e >= 1, b >= 1 else { return nil }
            self = .pause(epoch: e, batch: b, call: call)
        case 6 where words[0] == "interrupt" && words[1] == "after" && words[2] == "epoch" && words[4] == "batch":
            guard let e = number(words[3]), let b = number(words[5]), e >= 1 else { return nil }
            self = .interruptTraining(epoch: e, batch: b, call: call)
        case 5 where words[0] == "interrupt" && words[1] == "at" && words[2] == "safe" && words[3] == "point":
            guard let n = number(words[4]), n >= 1 else { return nil }
            self = .interruptAtSafePoint(n)
        case 5 where words[0] == "interrupt" && words[1] == "at" && words[2] == "library" && words[3] == "check":
            guard let n = number(words[4]), n >= 1 else { return nil }
            self = .interruptAtCheck(n)
        default:
            return nil
        }
    }

    /// `:reset`: the one command that changes the session's state, so headless replays do it too.
    public var isReset: Bool {
        if case .command(let c, _) = self { return c.split(separator: " ").first == ":reset" }
        return false
    }

    /// Whether it stops the cell (Ctrl-C, wherever it fell).
    public var isInterrupt: Bool {
        switch self {
        case .interruptTraining, .interruptAtSafePoint, .interruptAtCheck: return true
        case .pause, .command: return false
        }
    }

    /// Whether the session carries it out (a pause or an interrupt) rather than the notebook (a command).
    public var isSessionAction: Bool {
        if case .command = self { return false }
        return true
    }
}
