import Foundation
import MaplProtocol
import MaplRuntime

/// A line typed at the prompt that starts with `:` (or `?`), read into what it asks for. Reading is pure: it
/// neither looks at the session nor at the screen, so every command's spelling is tested on its own
/// (NotebookCommandTests); `Notebook` does what the command asks.
enum NotebookCommand: Equatable {
    /// `?name`, `:help name`; an empty topic is the notebook's own help.
    case help(topic: String)
    /// `:vars`.
    case variables
    /// `:save FILE` (`.mapl`, `.jsonl` or `.md`).
    case save(path: String)
    /// `:load FILE`.
    case load(path: String)
    /// `:pane hist NAME`: a tensor's values binned in the hist pane.
    case histogram(path: String)
    /// `:pane loss log|linear`.
    case lossLogScale(Bool)
    /// `:pane loss +|-|all`: zoom steps towards the newest points (negative: back out).
    case lossZoom(Int)
    /// `:pane auto`: the pane follows new pictures again.
    case followOutput
    /// `:pane next` (F2).
    case nextPane
    /// `:pane loss|hist|digits|graph|off`.
    case pane(PaneKind)
    /// `:step` or `:step --quiz` alone: the last walk again.
    case reopenStepper(quiz: Bool)
    /// `:step [--quiz] EXPR`, `:next [N]`, `:continue`, `:set show N`: the session runs it as a cell.
    case request(SessionRequest)
    /// `:present` (F5).
    case present
    /// `:clear`.
    case clear
    /// `:replay`: a stopped replay goes on.
    case goOnWithReplay
    /// `:reset`.
    case reset
    /// `:quit`, `:q`, `:exit`.
    case quit
    /// A command typed wrong, or none mapl knows: what to tell the user.
    case mistake(String)

    /// Reads `text`, a trimmed line starting with `:` or `?`.
    static func parse(_ text: String) -> NotebookCommand {
        if text.hasPrefix("?") { return .help(topic: String(text.dropFirst()).trimmingCharacters(in: .whitespaces)) }
        let words = text.dropFirst().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let name = words.first ?? ""
        let rest = text.dropFirst().dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        switch name {
        case "help", "h": return .help(topic: rest)
        case "vars": return .variables
        case "save":
            return rest.isEmpty ? .mistake(":save needs a file: :save FILE.mapl or :save FILE.jsonl") : .save(path: rest)
        case "load":
            return rest.isEmpty ? .mistake(":load needs a file: :load FILE.mapl") : .load(path: rest)
        case "pane" where words.count >= 3 && words[1] == "hist":
            return .histogram(path: words[2])
        case "pane" where words.count >= 3 && words[1] == "loss":
            switch words[2] {
            case "log": return .lossLogScale(true)
            case "linear", "lin": return .lossLogScale(false)
            case "+", "in": return .lossZoom(1)
            case "-", "−", "out": return .lossZoom(-1)
            case "all": return .lossZoom(-LossPaneData.maxZoom)
            default: return .mistake(":pane loss takes log, linear, + (zoom to the newest), - (back out) or all")
            }
        case "pane":
            let argument = words.dropFirst().first ?? ""
            if argument == "auto" { return .followOutput }
            if argument == "next" { return .nextPane }
            guard let kind = PaneKind(rawValue: argument) else {
                return .mistake(":pane takes one of: " + (PaneKind.allCases.map(\.rawValue) + ["auto", "next"]).joined(separator: ", "))
            }
            return .pane(kind)
        case "step":
            let quiz = rest.hasPrefix("--quiz")
            let expression = quiz ? String(rest.dropFirst("--quiz".count)).trimmingCharacters(in: .whitespaces) : rest
            // Quiz mode is the program's (trace's quiz=true), so the saved session keeps it.
            return expression.isEmpty ? .reopenStepper(quiz: quiz) : .request(.step(expression: expression, quiz: quiz))
        case "next":
            guard let n = words.dropFirst().first else { return .request(.resume(batches: 1)) }
            guard let k = Int(n), k >= 1 else { return .mistake(":next takes a whole number of batches ≥ 1: :next 10") }
            return .request(.resume(batches: k))
        case "continue", "c": return .request(.resume(batches: nil))
        case "present": return .present
        case "set" where words.count == 3 && words[1] == "show":
            // The full-print limit lives in the session's printer: `:set show 64` is `show_limit(64)`.
            if words[2] == "auto" { return .request(.showLimit(nil)) }
            guard let n = Int(words[2]), n >= 1 else { return .mistake(":set show takes a number of elements ≥ 1, or auto: :set show 64") }
            return .request(.showLimit(n))
        case "set": return .mistake(":set show N prints tensors of up to N elements in full (as grids); :set show auto fits them to the pane")
        case "clear": return .clear
        case "replay": return .goOnWithReplay
        case "reset": return .reset
        case "quit", "q", "exit": return .quit
        default: return .mistake("unknown command :\(name) — :help lists the commands")
        }
    }

    /// Whether typing `text` is part of the session (journaled, and kept for `:save`, so a replay does it
    /// again): what the screen shows, and `:reset`. A request is not: the session records it with its cell.
    static func isRecorded(_ text: String) -> Bool {
        guard SessionAction.isRecorded(command: text) else { return false }
        if case .request = parse(text) { return false }
        return true
    }
}
