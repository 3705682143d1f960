import ArgumentParser
import Foundation
import MaplLang

/// `mapl journal FILE.jsonl`: a journal (or `mapl run --json` output) read back and printed as `mapl run`
/// printed it; `--kinds` counts its events instead. Lines that cannot be read are named on standard error
/// and skipped; the exit status is 1 when there were any.
struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Print a journal (a .jsonl event stream) as text, as `mapl run` printed it.")

    @ArgumentParser.Argument(help: "The journal: a .jsonl file written by the notebook or by `mapl run --json`.")
    var file: String

    @Flag(help: "Draw pictures with a plain ASCII ramp instead of grey half blocks.")
    var ascii = false

    @Flag(help: "Count the events by kind instead (one `kind count` line each, in order of first appearance).")
    var kinds = false

    mutating func run() throws {
        let text = try CommandInput.read(file)
        let journal = EventJSON.readJournal(text)
        CommandInput.warn(journal.warnings, in: file)
        if kinds {
            var order: [String] = [], counts: [String: Int] = [:]
            for event in journal.events {
                let name = JournalCommand.kind(event)
                if counts[name] == nil { order.append(name) }
                counts[name, default: 0] += 1
            }
            for name in order { print("\(name) \(counts[name] ?? 0)") }
        } else {
            let renderer = TextRenderer(style: ascii || isatty(STDOUT_FILENO) == 0 ? .ascii : .halfBlocks)
            for event in journal.events {
                switch event {
                case .error(let r), .interrupted(let r): FileHandle.standardError.write(Data((r.rendered + "\n").utf8))
                default: for line in renderer.lines(for: event) { print(line) }
                }
            }
        }
        if !journal.warnings.isEmpty { throw ExitCode(1) }
    }

    /// The event's name as the JSON stream writes it; pictures add their size (`image 28×28`).
    static func kind(_ event: DisplayEvent) -> String {
        if case .image(let i) = event { return "\(event.kind.rawValue) \(i.rows)×\(i.columns)" }
        return event.kind.rawValue
    }
}
