extension Interpreter {
    /// Writes drawn lines (a plot, an image, a trace) through `output`, one line at a time, as `mapl run`
    /// prints them; the notebook redirects `output` into its pane or transcript.
    public func emit(_ lines: [String]) {
        for line in lines { output(line) }
    }
}
