import Foundation
import XCTest
@testable import MaplRichOutput
@testable import MaplLang
import MaplEngine
import MaplTestSupport

/// `trace(x)` as `text/html`: well-formed (every tag closed in order, read with python's html.parser), the
/// walk forward then backward with each step's numbers, the quiz's answers only behind a click, names
/// escaped. The worked example (Tests/MaplTestSupport/WorkedExample.swift) is walked in 12 forward and 10
/// backward steps (its literals 0.5 and 2 are no steps of their own); its numbers by hand: z = [0.37,
/// 0.49], ŷ = [0.5915, 0.6201], at the sigmoid's backward step the factor [0.2416, 0.2356] and the flow
/// ∂L/∂z = [-0.0987, 0.1461].
final class TraceHTMLTests: XCTestCase {
    private func trace(_ call: String) throws -> TraceData {
        let events = try RichOutputSupport.events(WorkedExample.program + "\n" + call)
        for case .trace(let t) in events { return t }
        throw XCTSkip("no trace event")  // never reached: the program traces
    }

    /// Reads the HTML back: checks every tag is closed in order, then prints for each step (details.mapl-step)
    /// its heading and its text, and for each answer (details.mapl-answer) its text, as JSON.
    private static let reader = """
        import json, sys
        from html.parser import HTMLParser
        VOID = {"br", "hr", "img", "meta", "link", "input", "col", "wbr"}
        class Walk(HTMLParser):
            def __init__(self):
                super().__init__(convert_charrefs=True)
                self.stack, self.steps, self.answers, self.passes, self.text = [], [], [], [], []
            def handle_starttag(self, tag, attrs):
                if tag in VOID: return
                cls = dict(attrs).get("class", "")
                self.stack.append((tag, cls, len(self.text)))
            def handle_endtag(self, tag):
                assert self.stack and self.stack[-1][0] == tag, ("unbalanced", tag, self.stack[-3:])
                _, cls, start = self.stack.pop()
                inner = "".join(self.text[start:])
                if cls == "mapl-step": self.steps.append(inner)
                if cls == "mapl-answer": self.answers.append(inner)
                if cls == "mapl-pass": self.passes.append(inner.split("\\n")[0])
            def handle_data(self, data):
                if not any(t == "style" for t, _, _ in self.stack): self.text.append(data)
        w = Walk()
        w.feed(sys.stdin.read()); w.close()
        assert not w.stack, w.stack
        print(json.dumps({"steps": w.steps, "answers": w.answers, "passes": w.passes, "text": "".join(w.text)}))
        """

    private func read(_ html: String) throws -> (steps: [String], answers: [String], passes: [String], text: String) {
        let out = try RichOutputSupport.python(Self.reader, input: html)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any])
        return (json["steps"] as? [String] ?? [], json["answers"] as? [String] ?? [], json["passes"] as? [String] ?? [], json["text"] as? String ?? "")
    }

    func testTheWorkedExamplesWalkHasEveryStepWithItsNumbers() throws {
        let t = try trace("trace(L)")
        let bundle = MimeBundles.bundle(for: .trace(t))
        // text/plain: the handout's walk, as `mapl run` prints it.
        let plain = try XCTUnwrap(bundle["text/plain"])
        XCTAssertTrue(plain.hasPrefix("trace(L): 12 forward steps, 10 backward steps"), plain)
        XCTAssertTrue(plain.contains("flows    ∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]"), plain)
        let html = try read(try XCTUnwrap(bundle["text/html"]))
        XCTAssertEqual(html.steps.count, 22)
        XCTAssertEqual(html.passes.count, 2)
        XCTAssertTrue(html.passes[0].hasPrefix("Forward pass (12 steps)"), html.passes[0])
        XCTAssertTrue(html.passes[1].hasPrefix("Backward pass (10 steps)"), html.passes[1])
        // Forward: z's value; backward: the sigmoid's step has the upstream, the rule in symbols and in numbers, the flow.
        let z = try XCTUnwrap(html.steps.first { $0.hasPrefix("forward") && $0.contains("z = W.T @ x + b") })
        XCTAssertTrue(z.contains("[0.3700, 0.4900]"), z)
        let sigmoid = try XCTUnwrap(html.steps.first { $0.hasPrefix("backward") && $0.contains("yhat = sigmoid(z)") })
        for expected in ["∂L/∂yhat = [-0.4085, 0.6201]", "sigmoid: ∂σ/∂x = σ·(1−σ)", "[0.5915·0.4085, 0.6201·0.3799] = [0.2416, 0.2356]",
                         "∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]"] {
            XCTAssertTrue(sigmoid.contains(expected), "missing \(expected) in \(sigmoid)")
        }
        // Forward steps come before backward ones.
        let headings = html.steps.map { $0.split(separator: " ").first.map(String.init) ?? "" }
        XCTAssertEqual(headings, Array(repeating: "forward", count: 12) + Array(repeating: "backward", count: 10))
        XCTAssertTrue(html.answers.isEmpty)
    }

    /// In a quiz every answer is behind a click: z's value, the factor, the flow [-0.0987, 0.1461] and the
    /// upstream gradient it becomes for the next step appear only inside answers; the nodes stay visible.
    func testAQuizHidesEachAnswerBehindAClick() throws {
        let t = try trace("trace(L, quiz=true)")
        let html = try read(try XCTUnwrap(MimeBundles.bundle(for: .trace(t))["text/html"]))
        XCTAssertTrue(html.answers.contains { $0.contains("∂L/∂z = upstream ⊙ rule = [-0.0987, 0.1461]") }, html.answers.joined(separator: "\n"))
        XCTAssertTrue(html.answers.contains { $0.contains("[0.2416, 0.2356]") })
        XCTAssertTrue(html.answers.contains { $0.contains("[0.3700, 0.4900]") })
        var outside = html.text
        for answer in html.answers { outside = outside.replacingOccurrences(of: answer, with: "") }
        XCTAssertFalse(outside.contains("[0.2416, 0.2356]"), outside)
        XCTAssertFalse(outside.contains("[-0.0987, 0.1461]") || outside.contains("[0.3700, 0.4900]"), outside)
        XCTAssertTrue(outside.contains("yhat = sigmoid(z)"), outside)
    }

    /// A quiz's `text/plain` (what `jupyter console` prints) is the handout's: the worked example's numbers
    /// appear only in the answer key after the blanks, never in the walk itself.
    func testAQuizsTextGivesTheAnswersOnlyInTheKey() throws {
        let t = try trace("trace(L, quiz=true)")
        let text = try XCTUnwrap(MimeBundles.bundle(for: .trace(t))["text/plain"])
        let parts = text.components(separatedBy: "Answer key:")
        XCTAssertEqual(parts.count, 2, text)
        XCTAssertTrue(parts[0].contains("______"), text)
        XCTAssertFalse(parts[0].contains("[0.3700, 0.4900]") || parts[0].contains("[-0.0987, 0.1461]"), parts[0])
        XCTAssertTrue(parts[1].contains("[0.3700, 0.4900]") && parts[1].contains("[-0.0987, 0.1461]"), parts[1])
    }

    /// A node whose name holds `<` and `&` (names come from the program's text) is written as named, never as
    /// markup.
    func testNamesWithMarkupAreEscaped() throws {
        let value = Tensor([1, 2])
        let step = TraceStep(phase: .forward, name: "a<b & c", nodeID: 1, op: nil, inputs: [], formula: "a<b & c = <script>",
                             shape: [2], value: value, isParameter: false, upstream: nil, rule: nil, factor: nil, flows: [])
        let t = TraceData(steps: TraceSteps(root: "a<b & c", forward: [step], backward: [], note: "no </details> here & there"), precision: 4)
        let raw = try XCTUnwrap(MimeBundles.bundle(for: .trace(t))["text/html"])
        XCTAssertFalse(raw.contains("<script>") || raw.contains("a<b"), raw)
        let html = try read(raw)
        XCTAssertEqual(html.steps.count, 1)
        XCTAssertTrue(html.steps[0].contains("a<b & c = <script>"), html.steps[0])
        XCTAssertTrue(html.text.contains("no </details> here & there"), html.text)
    }
}
