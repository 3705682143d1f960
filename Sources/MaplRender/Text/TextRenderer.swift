import MaplProtocol
import Foundation
import MaplCore

/// Renders events as the text `mapl run` prints: one string per write (a `text` event may hold several
/// lines; a picture gives one string per line). Values, cell boundaries, batches and snapshots print
/// nothing; errors, interruptions and warnings are the front end's to place (`mapl run` writes them to
/// standard error with `ErrorReport.rendered`).
public struct TextRenderer: Sendable {
    /// How grey pictures (`show`, `heatmap`) are drawn.
    public var style: GreyStyle
    /// Everything drawn in plain ASCII (`--ascii`): plots with markers, histograms with `_ = #`, grey
    /// pictures with the ASCII ramp, and the symbols of traces, graphs and tables spelled out. Text the
    /// program prints is written as given.
    public var ascii: Bool
    public init(style: GreyStyle = .ascii, ascii: Bool = false) {
        self.style = ascii ? .ascii : style
        self.ascii = ascii
    }

    public func lines(for event: DisplayEvent) -> [String] {
        switch event {
        case .text(let s): return [s]
        case .plot(let p): return LinePlot(p).render(ascii: ascii)
        case .histogram(let h) where !h.peers.isEmpty:
            let width = Swift.max(h.counts.count, 40) + 8
            return fold(Histogram.comparison(h, width: width, height: 8 * (1 + h.peers.count), ascii: ascii).lines.map { $0.trimmedTrailing() })
        case .histogram(let h):
            return fold(h.title.map { [$0] } ?? []) + Histogram(h).render(height: 6, width: Swift.max(h.counts.count, 40), ascii: ascii)
        case .image(let image) where !image.sheet.isEmpty:
            return fold((image.caption.map { [$0] } ?? []) + TextRenderer.sheet(image.sheet, style: style, ascii: ascii))
        case .image(let image):
            var lines = image.caption.map { [$0] } ?? []
            lines += TextRenderer.picture(image, style: style)
            if let p = image.probabilities, let predicted = image.predicted {
                lines.append("predicted \(predicted)")
                lines += ProbabilityBars.picture(p, top: 3, barWidth: 20, ascii: ascii).lines
            }
            return fold(lines)
        case .heatmap(let h): return fold(h.note.map { [$0] } ?? []) + Heatmap.render(h, style: style, ascii: ascii)
        case .graph(let g): return fold(GraphDrawing.render(g))
        case .trace(let t):
            var printer = Printer()
            printer.precision = t.precision
            return fold(TraceText.render(t.steps, printer: printer))
        case .table(let t):
            // Folded before the layout, so columns are as wide as their ASCII spelling.
            guard ascii else { return [TextRenderer.table(t)] }
            let folded = TableData(header: t.header.map(ASCIIFold.fold), rows: t.rows.map { $0.map(ASCIIFold.fold) },
                                   alignments: t.alignments, notes: t.notes.map(ASCIIFold.fold))
            return [TextRenderer.table(folded)]
        case .training(let t): return fold(TextRenderer.training(t))
        case .cellQueued, .cellStarted, .value, .metric, .warning, .error, .interrupted, .action, .cellEnded: return []
        }
    }

    /// Lines mapl wrote itself, in ASCII when asked.
    private func fold(_ lines: [String]) -> [String] { ascii ? lines.map(ASCIIFold.fold) : lines }

    /// An image averaged down to at most `maxColumns` columns (and as many rows, keeping the aspect).
    public static func picture(_ image: ImageData, style: GreyStyle, maxColumns: Int = 64) -> [String] {
        let p = GreyImage.picture(of: image, maxColumns: maxColumns, maxRows: (maxColumns + 1) / 2, style: style)
        return style == .halfBlocks ? p.ansiLines : p.lines
    }

    /// Several images side by side at their own size, 80 columns a row, each with its label (and prediction)
    /// under it.
    public static func sheet(_ images: [ImageData], style: GreyStyle, ascii: Bool, width: Int = 80) -> [String] {
        let tiles = images.map { TileSheet.Tile(sample: $0, ascii: ascii) }
        let rows = images.map(\.rows).max() ?? 1, columns = images.map(\.columns).max() ?? 1
        let captionRows = tiles.map(\.captions.count).max() ?? 0
        guard let layout = TileSheet.layout(count: tiles.count, rows: rows, columns: columns, captionRows: captionRows,
                                            width: width, height: Int.max / 4, maxScale: 1) else { return [] }
        let p = TileSheet.picture(tiles, layout: layout, style: style)
        return style == .halfBlocks ? p.ansiLines : p.lines
    }

    /// A table with columns padded to their widest cell, body cells aligned per column, then the notes.
    public static func table(_ t: TableData) -> String {
        let all = [t.header] + t.rows
        let columns = all.map(\.count).max() ?? 0
        let widths = (0..<columns).map { c in all.map { c < $0.count ? $0[c].count : 0 }.max() ?? 0 }
        func cell(_ text: String, _ c: Int, header: Bool) -> String {
            let fill = String(repeating: " ", count: Swift.max(0, widths[c] - text.count))
            let right = !header && c < t.alignments.count && t.alignments[c] == .right
            return right ? fill + text : text + fill
        }
        var lines = all.enumerated().map { i, row in
            row.enumerated().map { cell($1, $0, header: i == 0) }.joined(separator: "  ").trimmedTrailing()
        }
        lines += t.notes
        return lines.joined(separator: "\n")
    }

    /// `12 ms`, `3.4 s`. A figure no clock gives (negative, not finite, beyond 10⁷ s — a hostile journal's
    /// 300 digits) is clamped rather than spelled out.
    static func duration(_ seconds: Double) -> String {
        guard seconds.isFinite, seconds >= 0 else { return "? s" }
        if seconds < 0.1 { return String(format: "%.0f ms", seconds * 1000) }
        return seconds < 1e7 ? String(format: "%.1f s", seconds) : ">1e7 s"
    }

    /// `fit`'s lines: one per epoch (about 20 in all for long runs: every epoch up to 20, else the first,
    /// every k-th and the last), one when training pauses, then how training ended when it did not simply
    /// finish.
    public static func training(_ event: TrainingEvent) -> [String] {
        switch event {
        case .epoch(let e):
            let every = (e.epochs + 19) / 20
            let last = e.epoch == e.epochs || e.stoppedEarly
            guard e.epochs <= 20 || e.epoch == 1 || last || e.epoch % every == 0 else { return [] }
            func f(_ x: Double) -> String { x.isNaN ? "nan" : String(format: "%.4f", x) }  // never "-nan"
            var line = "epoch \(e.epoch)/\(e.epochs)"
            if let l = e.loss.last { line += "  loss \(f(l))" }
            if e.valLoss.count == e.loss.count, let v = e.valLoss.last { line += "  val_loss \(f(v))" }
            if e.valAccuracy.count == e.loss.count, let v = e.valAccuracy.last, !v.isNaN { line += "  val_accuracy \(f(v))" }
            line += "  " + TextRenderer.duration(e.seconds)
            return [line]
        case .fitEnded(let end):
            switch end.reason {
            case .finished: return []
            case .interrupted: return ["training stopped by the user after \(end.batches) batches"]
            case .stopped: return ["training ended while paused, after \(end.batches) batches"]
            case .stoppedEarly:
                guard let best = end.bestEpoch else { return [] }
                return ["early stopping: no improvement for \(end.patience ?? 0) epochs; restored the weights of epoch \(best)"]
            }
        case .paused(let p):
            let place = "before batch \(p.batch)/\(p.batchesPerEpoch) of epoch \(p.epoch)/\(p.epochs) (its loss now \(String(format: "%.4f", p.loss)))"
            guard p.cause != .batches, let run = p.names.first else { return ["paused " + place] }
            let bound = p.names.joined(separator: ", ")
            return ["training paused \(place); bound: \(bound) — resume(\(run), batches=1) trains one batch, resume(\(run)) goes on, stop(\(run)) ends it"]
        case .fitStarted, .batch, .snapshot: return []
        }
    }
}

extension String {
    /// The text without its trailing spaces (a table row padded to its columns).
    package func trimmedTrailing() -> String {
        var s = Substring(self)
        while s.last == " " { s = s.dropLast() }
        return String(s)
    }
}

extension WarningData {
    /// `file:3:5: warning: message`, as compilers write them: how `mapl run` and the Jupyter kernel report a
    /// warning on standard error.
    public func reported(in file: String) -> String {
        let place = range.map { "\($0.start.line):\($0.start.column): " } ?? ""
        return "\(file):\(place)warning: \(message)"
    }
}
