import XCTest
@testable import MaplLang
import MaplNN

/// `mapl run --ascii`: every picture and symbol mapl draws is plain ASCII.
final class TextRendererTests: XCTestCase {
    func testASCIIRendersEveryKindOfEventInASCII() throws {
        let s = ParsedSession()
        var events: [DisplayEvent] = []
        s.interpreter.display = { events.append($0) }
        try s.run("""
            m = flatten >> dense(4, 3)
            d = dataset(rand(20, 2, 2), [0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1])
            summary(m)
            h = fit(m, d, epochs=2, batch=5)
            plot([h.loss, [1, 0/0]], labels=["loss", "other"])
            hist(randn(500))
            hist([1, 0/0, 2])
            show(d, 3, model=m)
            heatmap(randn(30, 40))
            w = param([1.0, -2.0])
            y = sigmoid(w * 3)
            L = sum(y * y)
            backward(L)
            graph(L)
            trace(L)
            fit(m, d, epochs=2, batch=5, pause=true)
            resume(training, batches=1)
            stop(training)
            """)
        let renderer = TextRenderer(style: .halfBlocks, ascii: true)
        var kinds = Set<String>()
        for event in events {
            let lines = renderer.lines(for: event)
            if !lines.isEmpty { kinds.insert("\(event)".prefix(while: { $0 != "(" }).description) }
            for line in lines {
                XCTAssertTrue(line.unicodeScalars.allSatisfy { $0.isASCII && ($0.value >= 32 || $0 == "\n") }, "\(event): \(line)")
            }
        }
        for kind in ["table", "training", "plot", "histogram", "image", "heatmap", "graph", "trace"] {
            XCTAssertTrue(kinds.contains(kind), "no \(kind) event drawn: \(kinds)")
        }
        // The pause, the step's table and the stop, spelled in ASCII.
        let text = events.flatMap(renderer.lines)
        XCTAssertTrue(text.contains { $0.hasPrefix("training paused before batch 1/4 of epoch 1/2 (its loss now ") && $0.hasSuffix(" -- resume(training, batches=1) trains one batch, resume(training) goes on, stop(training) ends it") }, "\(text)")
        let table = try XCTUnwrap(text.first { $0.hasPrefix("parameter ") }).split(separator: "\n")
        XCTAssertEqual(table.first, "parameter   shape   ||theta||  ||dtheta||  ||dtheta||/||theta||")
        XCTAssertEqual(Set(table.map(\.count)).count, 1, "columns line up in ASCII: \(table)")
        XCTAssertTrue(text.contains { $0.hasPrefix("paused before batch 2/4 of epoch 1/2 (its loss now ") }, "\(text)")
        XCTAssertTrue(text.contains("training ended while paused, after 1 batches"), "\(text)")
        // Without --ascii the same events use braille, blocks and box drawing.
        let unicode = TextRenderer(style: .ascii, ascii: false)
        XCTAssertTrue(events.flatMap(unicode.lines).joined().unicodeScalars.contains { !$0.isASCII })
    }

    func testFoldSpellsMaplsSymbols() {
        XCTAssertEqual(ASCIIFold.fold("∂L/∂z = upstream ⊙ rule · 2 × 3 → 1−y² …"), "dL/dz = upstream * rule * 2 x 3 -> 1-y^2 ...")
        XCTAssertEqual(ASCIIFold.fold("└─ ├─ │"), "`- |- |")
        XCTAssertEqual(ASCIIFold.fold("∂(aᵇ)/∂a = b·aᵇ⁻¹, ∂L/∂A = g·Bᵀ, ∂(var x)/∂xᵢ = 2(xᵢ − x̄)/n"),
                       "d(a^b)/da = b*a^b^-1, dL/dA = g*B^T, d(var x)/dx_i = 2(x_i - xbar)/n")
        XCTAssertEqual(ASCIIFold.fold("‖Δθ‖/‖θ‖"), "||dtheta||/||theta||")
        XCTAssertEqual(ASCIIFold.fold("α"), "α")   // a user's own name stays
    }
}
