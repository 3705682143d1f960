import Foundation
import MaplProtocol
import MaplRender

/// Display events as Jupyter mime bundles (mime type → payload), what the kernel sends in `display_data`,
/// `execute_result` and `update_display_data`. Every bundle carries `text/plain`: the lines `mapl run` prints
/// for the event (`TextRenderer`, given by the caller; by default what `mapl run` writes to a pipe). Pictures
/// add richer forms a notebook shows instead:
///
/// | event                   | added                                                            |
/// |-------------------------|------------------------------------------------------------------|
/// | `show`                  | `image/png`: the image scaled up, label, prediction, top classes |
/// | `heatmap`               | `image/png`: the matrix in grey with its range                   |
/// | `plot`                  | `image/svg+xml`: the curves on labelled axes                     |
/// | `hist`                  | `image/svg+xml`: the bins on labelled axes                       |
/// | `trace`                 | `text/html`: the walk, forward then backward, steps collapsible  |
/// | `summary`               | `text/html`: the table                                           |
///
/// PNG payloads are base64, as the protocol carries them. A picture that cannot be drawn (pixels not matching
/// its size) keeps its `text/plain` alone. Events that print nothing (cell boundaries, batches, metrics,
/// actions) give an empty bundle; a `fit`'s events are better shown live with `LiveFit`.
public enum MimeBundles {
    /// What `mapl run` prints when its output is not a terminal: grey levels in ASCII, Unicode symbols.
    public static let plainRenderer = TextRenderer(style: .ascii)

    public static func bundle(for event: DisplayEvent, renderer: TextRenderer = plainRenderer) -> [String: String] {
        var bundle: [String: String] = [:]
        if let text = plainText(event, renderer: renderer) { bundle["text/plain"] = text }
        switch event {
        case .image(let image): bundle["image/png"] = ImagePicture.png(image).map(base64)
        case .heatmap(let h): bundle["image/png"] = HeatmapPicture.png(h).map(base64)
        case .plot(let p): bundle["image/svg+xml"] = PlotSVG.svg(p)
        case .histogram(let h): bundle["image/svg+xml"] = HistogramSVG.svg(h)
        case .trace(let t):
            bundle["text/html"] = TraceHTML.html(t)
            // A quiz's text is the handout's: blanks and a key, so a text-only front end does not give the answers away.
            if t.quiz { bundle["text/plain"] = Handout.plainText(of: t) }
        case .table(let t): bundle["text/html"] = TableHTML.html(t)
        default: break
        }
        return bundle
    }

    /// What `mapl run` writes for the event: its rendered lines; for what it leaves to the front end, the
    /// value's echo, the warning and the error report as it places them. Nil when it writes nothing.
    static func plainText(_ event: DisplayEvent, renderer: TextRenderer) -> String? {
        switch event {
        case .value(let v): return v.printed
        case .warning(let w): return "warning: " + w.message
        case .error(let report), .interrupted(let report): return report.rendered
        default:
            let lines = renderer.lines(for: event)
            return lines.isEmpty ? nil : lines.joined(separator: "\n")
        }
    }

    private static func base64(_ bytes: [UInt8]) -> String { Data(bytes).base64EncodedString() }
}
