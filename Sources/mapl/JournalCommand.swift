import ArgumentParser
import Foundation
import MaplLang

/// `mapl journal FILE.jsonl`: a journal (or `mapl run --json` output) read back as a stream and printed —
/// each cell's code, then its outputs as `mapl run` printed them; `--kinds` counts its events instead. Text
/// from the file is shown, never obeyed by the terminal (`TerminalText`). Lines that cannot be read are named
/// on standard error and skipped; the exit status is 1 when there were any.
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Print a journal (a .jsonl event stream) as text: each cell's code, then its outputs as `mapl run` printed them.")

    @ArgumentParser.Argument(help: "The journal: a .jsonl file written by the notebook or by `mapl run --json`.")
    var file: String

    @OptionGroup var drawing: DrawingOptions

    @Flag(help: "Count the events by kind instead (one `kind count` line each, in order of first appearance).")
    var kinds = false

    mutating func run() throws {
        let journal = try CommandInput.journal(file)
        let renderer = TextRenderer(style: drawing.textStyle, ascii: drawing.ascii)
        var order: [String] = [], counts: [String: Int] = [:], skipped = 0
        for item in journal {
            switch item {
            case .header: continue
            case .warning(let w):
                CommandInput.warn([w], in: file)
                skipped += 1
            case .event(let event) where kinds:
                let name = JournalCommand.kind(event)
                if counts[name] == nil { order.append(name) }
                counts[name, default: 0] += 1
            case .event(.error(let r)), .event(.interrupted(let r)):
                FileHandle.standardError.write(Data((TerminalText.visible(r.rendered) + "\n").utf8))
            case .event(let event):
                for line in JournalCommand.lines(for: event, renderer) { print(line) }
            }
        }
        for name in order { print("\(name) \(counts[name] ?? 0)") }
        if skipped > 0 { throw ExitCode(1) }
    }

    /// What an event prints: a cell's code as the notebook showed it (`[3] x = 1`, further lines indented
    /// under the first), anything else as `mapl run` printed it, with control characters made visible. Grey
    /// pictures carry mapl's own colour codes, so their words are made visible before drawing instead.
    static func lines(for event: DisplayEvent, _ renderer: TextRenderer) -> [String] {
        switch event {
        case .cellStarted(let c):
            let prompt = "[\(c.number)] ", indent = String(repeating: " ", count: prompt.count)
            return c.source.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, line in
                line.isEmpty ? (i == 0 ? "[\(c.number)]" : "") : TerminalText.visible((i == 0 ? prompt : indent) + line)
            }
        case .image(var image) where renderer.style == .halfBlocks:
            image.caption = image.caption.map(TerminalText.visible)
            image.label = image.label.map(TerminalText.visible)
            return renderer.lines(for: .image(image))
        case .heatmap(var heatmap) where renderer.style == .halfBlocks:
            heatmap.note = heatmap.note.map(TerminalText.visible)
            return renderer.lines(for: .heatmap(heatmap))
        default:
            return renderer.lines(for: event).map(TerminalText.visible)
        }
    }

    /// The event's name as the JSON stream writes it; pictures add their size (`image 28×28`).
    static func kind(_ event: DisplayEvent) -> String {
        if case .image(let i) = event { return "\(event.kind.rawValue) \(i.rows)×\(i.columns)" }
        return event.kind.rawValue
    }
}
