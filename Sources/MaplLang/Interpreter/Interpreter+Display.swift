extension Interpreter {
    /// Shows an event: a picture, a table, text, training progress (see `display`).
    public func emit(_ event: DisplayEvent) { display(event) }

    /// Writes printed text (`print`, `help`, `vars`).
    public func write(_ text: String) { display(.text(text)) }

    /// Reports something suspicious that does not stop the program, at the call being evaluated.
    public func warn(_ message: String, at range: SourceRange? = nil) {
        display(.warning(WarningData(message: message, range: range ?? currentCallRange)))
    }
}
