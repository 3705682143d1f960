import Foundation
import MaplProtocol
import MaplRender
import MaplRuntime

/// `history_request` answered from the session's journal: the cells the kernel ran with `store_history`
/// (their origin is `<cell N>`, N the execution count) and, when asked, the printed value each gave.
/// Session number 1 is this session (a journal holds one kernel session).
enum History {
    struct Entry {
        var line: Int
        var input: String
        var output: String?
    }

    /// The stored cells of `journal` in order.
    static func entries(_ journal: JournalWriter) -> [Entry] {
        guard let bytes = try? journal.sessionContents() else { return [] }
        var entries: [Entry] = []
        var open: Int? = nil
        for item in JournalReader(bytes: bytes) {
            guard case .event(let event) = item else { continue }
            switch event {
            case .cellStarted(let cell):
                open = nil
                if let line = executionCount(cell.origin) {
                    entries.append(Entry(line: line, input: cell.source, output: nil))
                    open = entries.count - 1
                }
            case .value(let v): if let i = open { entries[i].output = v.printed }
            case .cellEnded: open = nil
            default: break
            }
        }
        return entries
    }

    /// The origin the kernel gives a stored cell, and back.
    static func origin(_ executionCount: Int) -> String { "<cell \(executionCount)>" }
    static func executionCount(_ origin: String) -> Int? {
        guard origin.hasPrefix("<cell "), origin.hasSuffix(">") else { return nil }
        return Int(origin.dropFirst(6).dropLast())
    }

    /// The `history` list of a reply to `request`'s content.
    static func reply(_ request: JSON, journal: JournalWriter) -> JSON {
        let all = entries(journal)
        let output = request["output"]?.bool ?? false
        var chosen: [Entry]
        switch request["hist_access_type"]?.string ?? "tail" {
        case "range":
            let start = request["start"]?.int ?? 0
            let stop = request["stop"]?.int
            chosen = all.filter { e in e.line >= start && (stop.map { e.line < $0 } ?? true) }
        case "search":
            let pattern = request["pattern"]?.string ?? "*"
            chosen = all.filter { fnmatch(pattern, $0.input, 0) == 0 }
            if request["unique"]?.bool ?? false {
                var seen = Set<String>()
                // The latest of each input, as IPython keeps it.
                chosen = chosen.reversed().filter { seen.insert($0.input).inserted }.reversed()
            }
            if let n = request["n"]?.int, n >= 0 { chosen = Array(chosen.suffix(n)) }
        default:
            let n = max(request["n"]?.int ?? 10, 0)
            chosen = Array(all.suffix(n))
        }
        return .array(chosen.map { e in
            let input: JSON = output ? [.string(e.input), e.output.map(JSON.string) ?? .null] : .string(e.input)
            return [1, .int(e.line), input]
        })
    }
}
