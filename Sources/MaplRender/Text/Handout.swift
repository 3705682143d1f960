import MaplProtocol
import Foundation
import MaplCore

/// A session as a Markdown handout, written from its events like any front end (`mapl run FILE --handout
/// OUT.md`, the notebook's `:save OUT.md`): a `## ` comment starts a chapter, the cell's other leading comments
/// are its prose, its code sits in a fenced block and what it showed under it — text, matrices as aligned
/// grids, plots and pictures in Unicode blocks (`TextRenderer` with grey shades, no colour escapes), and the
/// walk of every `trace`, forward then backward, in the lines `mapl run` prints (`TraceText`). In a quiz the
/// walk's answers (values, local derivatives, flowing gradients) are blanks numbered into an answer key at
/// the end: a `trace(x, quiz=true)`, or every trace when the handout is asked for as a quiz. With `images`, every `show` and `heatmap` is also a PNG file the Markdown links to.
public struct Handout {
    /// A file the handout links to, for the caller to write beside the Markdown.
    public struct Image: Equatable {
        public var name: String
        public var png: [UInt8]
    }

    /// The heading at the top.
    public var title: String
    /// Every trace is a quiz, not only those traced with `quiz=true`.
    public var quiz: Bool
    /// The PNG files' name stem (`lecture` gives `lecture-1.png`, …); nil: no PNG files.
    public var images: String?
    /// The PNG files made so far.
    public private(set) var imageFiles: [Image] = []

    private var body: [String] = []
    /// Code not yet closed into its fenced block: cells without prose or output between them share one.
    private var code: [String] = []
    /// Output lines not yet closed into their fenced block.
    private var output: [String] = []
    private var key: [String] = []
    private let renderer = TextRenderer(style: .shades)

    public init(title: String, quiz: Bool = false, images: String? = nil) {
        self.title = title; self.quiz = quiz; self.images = images
    }

    /// The handout of every event `journal` holds.
    public static func markdown(of journal: JournalReader, title: String) -> String {
        var handout = Handout(title: title)
        for case .event(let event) in journal { handout.add(event) }
        return handout.markdown()
    }

    /// A walk as the handout writes it, in plain text: the steps, and in a quiz the blanks and then the answer
    /// key — what a front end that shows only text (`jupyter console`) prints for `trace(…, quiz=true)`.
    public static func plainText(of trace: TraceData) -> String {
        var handout = Handout(title: "", quiz: trace.quiz)
        handout.addTrace(trace)
        let walk = handout.body.filter { !$0.hasPrefix("```") }
        let key = handout.key.isEmpty ? [] : ["", "Answer key:"] + handout.key
        return (walk + key).joined(separator: "\n").trimmingCharacters(in: .newlines)
    }

    public mutating func add(_ event: DisplayEvent) {
        switch event {
        case .cellStarted(let c):
            closeOutput()
            addCell(c.source)
        case .text(let s): show(TerminalText.visible(s).components(separatedBy: "\n"))
        case .value(let v): show(echo(v))
        case .trace(let t):
            flushCode()
            closeOutput()
            addTrace(t)
        case .image(let image):
            show(renderer.lines(for: event))
            for (k, one) in (image.sheet.isEmpty ? [image] : image.sheet).enumerated() where k < 64 {
                addImage(one.pixels, rows: one.rows, columns: one.columns, low: one.low, high: one.high, alt: one.caption ?? "image")
            }
        case .heatmap(let h):
            show(renderer.lines(for: event))
            addImage(h.values, rows: h.rows, columns: h.columns, low: h.min, high: h.max, alt: h.note ?? "heatmap")
        case .warning(let w): show(["warning: " + TerminalText.visible(w.message)])
        case .error(let report), .interrupted(let report): show(TerminalText.visible(report.rendered).components(separatedBy: "\n"))
        case .plot, .histogram, .graph, .table, .training: show(renderer.lines(for: event))
        case .cellQueued, .metric, .action, .cellEnded: break
        }
    }

    /// The Markdown: the title, the cells, and the answer key when there was a quiz.
    public mutating func markdown() -> String {
        flushCode()
        closeOutput()
        var lines = ["# " + title, ""] + body
        if !key.isEmpty {
            lines += ["## Answer key", ""] + Handout.fenced(key, info: "text")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: Cells

    /// Chapter headings and prose from the leading comments, then the code.
    private mutating func addCell(_ source: String) {
        var lines = source.components(separatedBy: "\n")
        var prose: [String] = []
        while let first = lines.first, first.trimmingCharacters(in: .whitespaces).hasPrefix("#") || first.trimmingCharacters(in: .whitespaces).isEmpty {
            lines.removeFirst()
            let t = first.trimmingCharacters(in: .whitespaces)
            if t.hasPrefix("## ") {
                flushCode()
                body += paragraph(prose) + ["## " + Handout.escaped(String(t.dropFirst(3))), ""]
                prose = []
            } else {
                prose.append(t.hasPrefix("# ") ? String(t.dropFirst(2)) : String(t.dropFirst()))
            }
        }
        if !prose.isEmpty { flushCode() }
        body += paragraph(prose)
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        code += lines
    }

    /// Output under the code that made it.
    private mutating func show(_ lines: [String]) {
        flushCode()
        output += lines
    }

    private mutating func flushCode() {
        if !code.isEmpty { body += Handout.fenced(code, info: "mapl") }
        code = []
    }

    /// Comment lines as Markdown: a line indented four spaces stays code (a command to type), others are
    /// escaped so `x * x` is not italics.
    private func paragraph(_ prose: [String]) -> [String] {
        let trimmed = prose.drop { $0.isEmpty }.reversed().drop { $0.isEmpty }.reversed()
        guard !trimmed.isEmpty else { return [] }
        return trimmed.map { $0.hasPrefix("    ") ? $0 : Handout.escaped($0) } + [""]
    }

    /// Output so far as a fenced block.
    private mutating func closeOutput() {
        while let last = output.last, last.trimmingCharacters(in: .whitespaces).isEmpty { output.removeLast() }
        if !output.isEmpty { body += Handout.fenced(output, info: "text") }
        output = []
    }

    /// An echoed value: a matrix as its grid, aligned, under its heading; anything else as printed.
    private func echo(_ v: EchoedValue) -> [String] {
        var grid = v.grid
        if grid == nil, case .tensor(let t) = v.value, t.shape.count == 2, let values = t.values, values.count == t.shape.reduce(1, *) {
            // Read from a journal, which keeps the numbers but not the grid: laid out at the default precision.
            grid = ValueGrid(heading: "tensor \(t.shape)" + (t.isParameter ? "  requires_grad=true" : ""),
                             grid: MatrixGrid(shape: t.shape, values: values, precision: Printer().precision, maxRows: 40))
        }
        guard let grid else { return TerminalText.visible(v.printed).components(separatedBy: "\n") }
        return [grid.heading] + grid.grid.lines.indices.map { grid.grid.text($0) }
    }

    // MARK: Traces

    /// The walk in a fenced block; in a quiz each answer line's numbers are blanks, numbered into the key, and
    /// so are the upstream gradients after the first backward step (each is an earlier step's answer, which
    /// the student carries on with), unnumbered.
    private mutating func addTrace(_ t: TraceData) {
        var printer = Printer()
        printer.precision = t.precision
        guard quiz || t.quiz else {
            body += Handout.fenced(TraceText.render(t.steps, printer: printer), info: "text")
            return
        }
        var answers: [String] = []
        let firstBackward = "backward 1/"
        let walk = TraceText.render(t.steps, printer: printer) { line, heading in
            var blank = line
            blank.parts = line.parts.map { part in
                switch part {
                case .value, .numbers: return .text("______")
                default: return part
                }
            }
            // A gradient summed from its shares (`= [..]` under them) is a new answer; the shares were answered.
            let sum = line.label.isEmpty && line.parts.contains { if case .text("= ") = $0 { return true } else { return false } }
            guard line.isAnswer || sum else {
                let carried = heading.hasPrefix("backward") && !heading.hasPrefix(firstBackward) && (line.label == "upstream" || line.label.isEmpty)
                return TraceLines.plain(carried ? blank : line, printer: printer)
            }
            answers.append("[\(key.count + answers.count + 1)] \(heading)  " + TraceLines.plain(line, printer: printer).trimmingCharacters(in: .whitespaces))
            return TraceLines.plain(blank, printer: printer) + "  [\(key.count + answers.count)]"
        }
        body += ["Quiz: fill in each blank. A numbered blank is answered in the key at the end; an unnumbered one (an upstream gradient) is an answer of a step before.", ""]
        body += Handout.fenced(walk, info: "text")
        key += answers
    }

    // MARK: Pictures

    private mutating func addImage(_ values: [Float], rows: Int, columns: Int, low: Float?, high: Float?, alt: String) {
        guard let stem = images, values.count == rows * columns,
              let png = PNG.grey(PNG.levels(values, low: low, high: high), width: columns, height: rows) else { return }
        flushCode()
        closeOutput()
        let name = "\(stem)-\(imageFiles.count + 1).png"
        imageFiles.append(Image(name: name, png: png))
        body += ["![\(Handout.escaped(alt).replacingOccurrences(of: "]", with: "\\]"))](\(name))", ""]
    }

    // MARK: Markdown

    /// `lines` in a fenced block whose fence is longer than any run of backticks inside.
    static func fenced(_ lines: [String], info: String) -> [String] {
        var longest = 0
        for line in lines {
            var run = 0
            for ch in line { run = ch == "`" ? run + 1 : 0; longest = Swift.max(longest, run) }
        }
        let fence = String(repeating: "`", count: Swift.max(3, longest + 1))
        return [fence + info] + lines + [fence, ""]
    }

    /// Comment text as Markdown: backticks stay (comments use them for code), emphasis marks and HTML are
    /// escaped.
    static func escaped(_ s: String) -> String {
        var out = ""
        for ch in s {
            if "\\*<".contains(ch) { out.append("\\") }
            out.append(ch)
        }
        return out
    }
}
