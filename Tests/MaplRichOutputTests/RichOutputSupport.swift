import Foundation
import XCTest
@testable import MaplLang
import MaplTestSupport

/// What the rich-output tests share: a program's display events, and Python (the CI venv's, with numpy and
/// pypng) to read the PNG, SVG and HTML back with decoders written by others.
enum RichOutputSupport {
    /// The events `source` displays when run.
    static func events(_ source: String) throws -> [DisplayEvent] {
        let interpreter = Interpreter()
        var events: [DisplayEvent] = []
        interpreter.display = { events.append($0) }
        interpreter.output = { events.append(.text($0)) }
        _ = try interpreter.run(try Parser.parse(source))
        return events
    }

    /// What `script` prints given `input` (JSON) on its standard input.
    static func python(_ script: String, input: String = "") throws -> String {
        try NumPy.run(script, input: input).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func json(_ value: Any) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: value), as: UTF8.self)
    }

    /// Python that reads an SVG chart back (xml.etree) and maps its marks to data coordinates through its own
    /// tick labels: each axis's ticks give a straight line pixel → value, fitted by least squares (numpy), so
    /// the check does not lean on how the chart computes positions. Defines `svg`, `ticks(kind)`, `to_x`, `to_y`.
    static let chartReader = """
        import json, sys, numpy as np
        import xml.etree.ElementTree as ET
        data = json.load(sys.stdin)
        svg = ET.fromstring(data["svg"])
        ns = "{http://www.w3.org/2000/svg}"
        def ticks(kind):
            out = []
            for g in svg.iter(ns + "g"):
                if g.get("class") != kind: continue
                line, text = g.find(ns + "line"), g.find(ns + "text")
                pos = float(line.get("y1")) if kind == "ytick" else float(line.get("x1"))
                out.append((pos, float(text.text)))
            return out
        def fit(pairs):
            pos, val = np.array([p for p, _ in pairs]), np.array([v for _, v in pairs])
            a, b = np.polyfit(pos, val, 1)
            # Positions are written to 0.01 px: a tick may sit that far off its line.
            assert np.allclose(a * pos + b, val, atol=1e-3 * (val.max() - val.min())), ("ticks not evenly spaced", pairs)
            return lambda p: a * p + b
        to_x, to_y = fit(ticks("xtick")), fit(ticks("ytick"))

        """
}
