import MaplProtocol
import MaplRender

/// `trace(x)` as a self-contained HTML fragment (inline CSS, no script): the forward pass then the backward
/// pass, each a `<details>` of steps, each step a `<details>` headed by its place and node, holding the lines
/// the handout prints (`TraceLines`): node, value, upstream gradient, rule in symbols, the rule with its
/// numbers, and the gradient flowing to each input. In a quiz (`trace(x, quiz=true)`) every answer — an
/// output, a local derivative, a flowing gradient, and an upstream gradient an earlier step answered — sits
/// behind its own `<details>` until clicked.
enum TraceHTML {
    /// Passes of at most this many steps open with every step unfolded; longer ones start folded.
    static let openSteps = 20
    /// At most this many steps a pass are written (as `mapl run` prints them).
    static let maxStepsPerPhase = 500

    static func html(_ t: TraceData) -> String {
        var printer = Printer()
        printer.precision = t.precision
        let index = TraceIndex(t.steps)
        let steps = t.steps
        var out = ["<div class=\"mapl-trace\">", style,
                   "<p class=\"mapl-title\">" + Markup.escape("trace(\(steps.root)): \(steps.forward.count) forward steps, \(steps.backward.count) backward steps") + "</p>"]
        if t.quiz { out.append("<p>Quiz: work out each answer, then click it to check.</p>") }
        for (offset, pass, name) in [(0, steps.forward, "Forward pass"), (steps.forward.count, steps.backward, "Backward pass")] where !pass.isEmpty {
            out.append("<details class=\"mapl-pass\" open><summary>\(name) (\(pass.count) step\(pass.count == 1 ? "" : "s"))</summary>")
            for i in pass.indices.prefix(maxStepsPerPhase) {
                out.append(step(index, at: offset + i, position: i + 1, of: pass.count, open: pass.count <= openSteps, quiz: t.quiz, printer: printer))
            }
            if pass.count > maxStepsPerPhase { out.append("<p>… \(pass.count - maxStepsPerPhase) more steps</p>") }
            out.append("</details>")
        }
        if let note = steps.note { out.append("<p class=\"mapl-note\">" + Markup.escape(note) + "</p>") }
        out.append("</div>")
        return out.joined(separator: "\n")
    }

    private static func step(_ index: TraceIndex, at i: Int, position: Int, of total: Int, open: Bool, quiz: Bool, printer: Printer) -> String {
        guard let step = index.trace.step(i) else { return "" }
        let heading = "\(step.phase.rawValue) \(position)/\(total)"
        var rows: [String] = []
        for line in TraceLines.lines(step: i, in: index, detail: .handout, printer: printer) {
            var cell = line.parts.map { part(for: $0, printer: printer) }.joined()
            // A gradient summed from its shares (`= [..]` under them) is an answer too, as in the handout's quiz.
            let sum = line.label.isEmpty && line.parts.contains { if case .text("= ") = $0 { return true } else { return false } }
            // An upstream gradient after the first backward step is an earlier step's answer: hidden too, as the
            // handout's quiz leaves it blank.
            let carried = step.phase == .backward && position > 1 && (line.label == "upstream" || line.label.isEmpty)
            if quiz && (line.isAnswer || sum) {
                cell = "<details class=\"mapl-answer\"><summary>answer</summary>\(cell)</details>"
            } else if quiz && carried {
                cell = "<details class=\"mapl-answer\"><summary>from a step before</summary>\(cell)</details>"
            }
            rows.append("<tr><th>\(Markup.escape(line.label))</th><td>\(cell)</td></tr>")
        }
        return "<details class=\"mapl-step\"\(open ? " open" : "")><summary><span class=\"mapl-place\">\(heading)</span> <code>\(Markup.escape(step.formula))</code></summary>\n<table>\n"
            + rows.joined(separator: "\n") + "\n</table></details>"
    }

    private static func part(for part: TraceLine.Part, printer: Printer) -> String {
        switch part {
        case .text(let s): return Markup.escape(s)
        case .numbers(let s): return "<span class=\"mapl-numbers\">" + Markup.escape(s) + "</span>"
        case .value(let t): return "<span class=\"mapl-value\">" + Markup.escape(TraceLines.valueText(t, printer: printer)) + "</span>"
        case .pending(let s): return "<em>" + Markup.escape(s) + "</em>"
        // The shape's column in the terminal; a cell in a table needs only a gap.
        case .column: return "<span class=\"mapl-gap\"></span>"
        }
    }

    private static let style = """
        <style>
        .mapl-trace { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 13px; line-height: 1.45; }
        .mapl-trace .mapl-title { font-weight: bold; margin: 0.2em 0 0.5em; }
        .mapl-trace details.mapl-pass > summary { font-weight: bold; cursor: pointer; margin: 0.4em 0; }
        .mapl-trace details.mapl-step { margin: 0.25em 0 0.25em 1.2em; border-left: 3px solid #d0d7de; padding-left: 0.6em; }
        .mapl-trace details.mapl-step > summary { cursor: pointer; }
        .mapl-trace .mapl-place { color: #57606a; }
        .mapl-trace table { border-collapse: collapse; margin: 0.2em 0 0.4em; }
        .mapl-trace th { text-align: left; vertical-align: top; color: #57606a; font-weight: normal; padding: 0 1em 0 0; white-space: nowrap; }
        .mapl-trace td { padding: 0; white-space: pre-wrap; }
        .mapl-trace .mapl-value { color: #0550ae; }
        .mapl-trace .mapl-numbers { color: #6f42c1; }
        .mapl-trace .mapl-gap { display: inline-block; width: 2em; }
        .mapl-trace details.mapl-answer { display: inline-block; vertical-align: top; }
        .mapl-trace details.mapl-answer > summary { cursor: pointer; color: #9a6700; }
        .mapl-trace .mapl-note { color: #57606a; }
        </style>
        """
}
