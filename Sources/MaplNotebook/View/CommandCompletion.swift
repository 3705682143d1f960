/// Tab completion for the notebook's `:` commands and their arguments (`:pa` → `:pane`, `:pane lo` → `loss`,
/// `:pane loss l` → `log`, `linear`), from one table that `:help` and the commands agree with.
enum CommandCompletion {
    /// Every command, and the words each takes in order (a word's own further words after a space).
    static let commands: [(name: String, arguments: [String: [String]])] = [
        ("help", [:]), ("vars", [:]), ("save", [:]), ("load", [:]),
        ("pane", ["": ["loss", "hist", "digits", "graph", "off", "auto"], "loss": ["log", "linear", "+", "-", "all"]]),
        ("present", [:]), ("set", ["": ["show"], "show": ["auto", "64", "256", "1000"]]),
        ("step", ["": ["--quiz"]]), ("next", [:]), ("continue", [:]), ("clear", [:]), ("reset", [:]), ("quit", [:]),
    ]

    /// The candidates for `word` (what readline will replace) when `line` (up to the cursor) is a `:` command;
    /// nil for any other line (the session completes those).
    static func candidates(line: String, word: String) -> [String]? {
        let trimmed = line.drop { $0 == " " }
        guard trimmed.hasPrefix(":") else { return nil }
        let words = trimmed.dropFirst().split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let typingNewWord = trimmed.last == " " || trimmed.count == 1
        let done = typingNewWord ? words : Array(words.dropLast())
        guard let name = done.first else {
            return commands.map(\.name).filter { $0.hasPrefix(word) }
        }
        guard let command = commands.first(where: { $0.name == name }) else { return [] }
        // The argument list after the words already typed: "" for the first, then the previous word's.
        let key = done.count == 1 ? "" : done[done.count - 1]
        guard done.count <= 2 || command.arguments[key] != nil, let options = command.arguments[key] else { return [] }
        return options.filter { $0.hasPrefix(word) }
    }
}
